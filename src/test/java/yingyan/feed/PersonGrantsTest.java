package yingyan.feed;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import yingyan.config.HubProperties;
import yingyan.web.Grants;

/**
 * People's grants as configured: resolved by name (absent or '*' = all), and checked when the hub starts, so a
 * mistyped region code or a department without its system stops the start with a message naming what is wrong.
 */
class PersonGrantsTest {
    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void eachPersonGetsTheirOwnGrants_othersEverything() {
        HubProperties hub = new HubProperties("370700", null, null, null, null, new HubProperties.Security(List.of(
                new HubProperties.User("sg", "x", List.of("VIEWER"), List.of("370783"), List.of()),
                new HubProperties.User("liaison", "x", List.of("VIEWER"), List.of("*"), List.of("approvals:SGZRZY")),
                new HubProperties.User("boss", "x", List.of("VIEWER")))));
        PersonGrants grants = new PersonGrants(hub);
        assertThat(grants.of("sg")).isEqualTo(Grants.of(List.of("370783"), List.of()));
        assertThat(grants.of("sg").limited()).isTrue();
        assertThat(grants.of("liaison").regions()).isEmpty();
        assertThat(grants.of("liaison").departments()).contains(Set.of("approvals:SGZRZY"));
        assertThat(grants.of("boss").limited()).isFalse();
        assertThat(grants.of("someone-else")).isEqualTo(Grants.ALL);
    }

    @Test
    void anUnknownRegionOrADepartmentWithoutItsSystemIsRefusedWithTheReason() {
        assertThat(messages(new HubProperties.User("sg", "x", List.of("VIEWER"), List.of("3707"), List.of())))
                .containsExactly("regions must be '*' or six-digit region codes the hub knows (GB/T 2260, e.g."
                        + " 370783; see docs/contracts/reference-codes.md)");
        assertThat(messages(new HubProperties.User("sg", "x", List.of("VIEWER"), List.of(), List.of("SGZRZY"))))
                .containsExactly("departments must be '*' or source-system:department-code, e.g. approvals:SGZRZY");
        assertThat(messages(new HubProperties.User("sg", "x", List.of("VIEWER"), List.of("370783", "*"),
                List.of("approvals:SGZRZY", "hub-feed:SG_ZRZY")))).isEmpty();
    }

    @Test
    void theHubRefusesToStartWithABadGrant_namingTheSetting() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(Props.class)
                .withPropertyValues("hub.personal-data.hmac-key=k", "hub.quarantine.key=k",
                        "hub.security.users[0].name=sg", "hub.security.users[0].password=x",
                        "hub.security.users[0].regions=37O783")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("hub.security.users[0]")
                            .hasMessageContaining("regionsValid");
                });
    }

    @EnableConfigurationProperties(HubProperties.class)
    static class Props {
    }

    private static List<String> messages(HubProperties.User u) {
        return VALIDATOR.validate(u).stream().map(ConstraintViolation::getMessage).sorted().toList();
    }
}
