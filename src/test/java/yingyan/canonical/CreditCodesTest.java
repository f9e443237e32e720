package yingyan.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static yingyan.canonical.CanonicalFixtures.CREDIT_ALPHABET;
import static yingyan.canonical.CanonicalFixtures.withCreditCheck;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CreditCodesTest {
    private static final List<String> BODIES = List.of(
            "91350100M000100Y4", "91370783MA3C12345", "12370700004907123", "52370705MA94XY00K", "92370781L00000001");

    @Test
    void theTestsCheckCharacterAgreesWithTheSpecExample() {
        assertThat(withCreditCheck("91350100M000100Y4")).isEqualTo("91350100M000100Y43");
    }

    @Test
    void theSpecExampleIsValid() {
        assertThat(CreditCodes.isValid("91350100M000100Y43")).isTrue();
    }

    @Test
    void computedCodesAreValidAndEveryOtherCheckCharacterIsRefused() {
        for (String body : BODIES) {
            String code = withCreditCheck(body);
            assertThat(CreditCodes.isValid(code)).as(code).isTrue();
            for (char c : CREDIT_ALPHABET.toCharArray()) {
                if (c != code.charAt(17)) {
                    assertThat(CreditCodes.isValid(body + c)).as(body + c).isFalse();
                }
            }
        }
    }

    /** 31 − (S mod 31) is 31 when S is a multiple of 31; the check character is then alphabet[0]. */
    @Test
    void aSumThatIsAMultipleOf31HasCheckCharacterZero() {
        String code = CREDIT_ALPHABET.chars()
                .mapToObj(c -> withCreditCheck("9137078300000000" + (char) c))
                .filter(c -> c.endsWith("0"))
                .findFirst().orElseThrow();

        assertThat(CreditCodes.isValid(code)).isTrue();
        assertThat(CreditCodes.isValid(code.substring(0, 17) + "Y")).isFalse();
    }

    @Test
    void aWrongCheckCharacterIsRefused() {
        assertThat(CreditCodes.isValid("91350100M000100Y44")).isFalse();
        assertThat(CreditCodes.isValid("91350100M000100Y4A")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(chars = {'I', 'O', 'S', 'V', 'Z'})
    void lettersOutsideTheAlphabetAreRefused(char letter) {
        String code = "91350100" + letter + "000100Y43";

        assertThat(CreditCodes.isValid(code)).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"91350100m000100y43", "91350100M000100Y4", "91350100M000100Y430", " 91350100M000100Y43",
            "91350100-000100Y43"})
    void otherShapesAreRefused(String code) {
        assertThat(CreditCodes.isValid(code)).isFalse();
    }
}
