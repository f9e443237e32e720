package yingyan.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static yingyan.canonical.CanonicalFixtures.residentIdCheck;
import static yingyan.canonical.CanonicalFixtures.withIdCheck;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResidentIdsTest {
    private static final String SECRET = "test-only-hmac-key-not-a-secret";

    @Test
    void theTestsCheckCharacterAgreesWithTheSpecExamples() {
        assertThat(withIdCheck("11010519491231002")).isEqualTo("11010519491231002X");
        assertThat(withIdCheck("44052418800101001")).isEqualTo("440524188001010014");
    }

    @ParameterizedTest
    @ValueSource(strings = {"11010519491231002X", "440524188001010014"})
    void specExamplesAreValid(String id) {
        assertThat(ResidentIds.normalise("idNo", id, false)).isEqualTo(id);
    }

    @Test
    void lowerCaseXIsAcceptedAndUpperCased() {
        assertThat(ResidentIds.normalise("idNo", "11010519491231002x", false)).isEqualTo("11010519491231002X");
    }

    @Test
    void computedIdsAreValidAndEveryOtherCheckCharacterIsRefused() {
        List<String> ids = new ArrayList<>();
        for (String region : List.of("370783", "370702", "370000")) {
            for (String birth : List.of("19000101", "19800229", "19991231", "20240229")) {
                for (String seq : List.of("001", "014", "382", "999")) {
                    ids.add(withIdCheck(region + birth + seq));
                }
            }
        }
        assertThat(ids).as("some end in X").anyMatch(id -> id.endsWith("X"));

        for (String id : ids) {
            assertThat(ResidentIds.normalise("idNo", id, false)).isEqualTo(id);
            for (char c : "0123456789X".toCharArray()) {
                if (c != id.charAt(17)) {
                    String wrong = id.substring(0, 17) + c;
                    assertThatThrownBy(() -> ResidentIds.normalise("idNo", wrong, false))
                            .isInstanceOf(InvalidSourceException.class).hasMessageContaining("check character");
                }
            }
        }
    }

    @Test
    void aWrongCheckCharacterIsRefused() {
        assertThatThrownBy(() -> ResidentIds.normalise("idNo", "11010519491231002Y", false))
                .isInstanceOf(InvalidSourceException.class);
        assertThatThrownBy(() -> ResidentIds.normalise("idNo", "110105194912310021", false))
                .isInstanceOfSatisfying(InvalidSourceException.class, e -> assertThat(e.violations()).singleElement()
                        .satisfies(v -> {
                            assertThat(v.field()).isEqualTo("idNo");
                            assertThat(v.value()).isEqualTo("110105********0021");
                            assertThat(v.rule()).contains("check character");
                        }));
    }

    @ParameterizedTest
    @ValueSource(strings = {"19900230", "19000229", "20230229", "19991301", "19990000", "19990431"})
    void anImpossibleBirthDateIsRefusedEvenWithTheRightCheckCharacter(String birth) {
        String id = withIdCheck("370783" + birth + "123");

        assertThatThrownBy(() -> ResidentIds.normalise("idNo", id, false))
                .isInstanceOf(InvalidSourceException.class).hasMessageContaining("birth date");
    }

    @Test
    void aLegacy15DigitNumberIsUpgradedWhenTheSourceMarksItLegacy() {
        assertThat(ResidentIds.normalise("idNo", "110105491231002", true)).isEqualTo("11010519491231002X");
        assertThat(ResidentIds.normalise("idNo", "370783800229123", true)).isEqualTo(withIdCheck("37078319800229123"));
    }

    @Test
    void a15DigitNumberIsRefusedWhenNotMarkedLegacy() {
        assertThatThrownBy(() -> ResidentIds.normalise("idNo", "110105491231002", false))
                .isInstanceOf(InvalidSourceException.class).hasMessageContaining("not marked legacy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"11010549123100X", "110105490230002", "1101054912310"})
    void aBrokenLegacyNumberIsRefused(String raw) {
        assertThatThrownBy(() -> ResidentIds.normalise("idNo", raw, true)).isInstanceOf(InvalidSourceException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "11010519491231002", "11010519491231002X1", "1101051949123A002X", "11010519491231002*"})
    void otherShapesAreRefused(String raw) {
        assertThatThrownBy(() -> ResidentIds.normalise("idNo", raw, false)).isInstanceOf(InvalidSourceException.class);
    }

    @Test
    void aMissingIdIsRefused() {
        assertThatThrownBy(() -> ResidentIds.normalise("idNo", null, false))
                .isInstanceOf(InvalidSourceException.class).hasMessageContaining("required");
    }

    @Test
    void maskKeepsTheFirstSixAndTheLastFour() {
        assertThat(ResidentIds.mask("11010519491231002X")).isEqualTo("110105********002X");
        assertThat(ResidentIds.mask("440524188001010014")).isEqualTo("440524********0014");
        assertThat(ResidentIds.mask("12345")).isEqualTo("*****");
        assertThat(ResidentIds.mask(null)).isNull();
    }

    @CsvSource(delimiter = '|', textBlock = """
            申请人王五，身份证号11010519491231002X，电话13800138000。 | 申请人王五，身份证号110105********002X，电话13800138000。
            idNo=11010519491231002x;name=王五                  | idNo=110105********002x;name=王五
            "a":"440524188001010014","b":"11010519491231002X"    | "a":"440524********0014","b":"110105********002X"
            旧证110105491231002号                                 | 旧证110105*****1002号
            账号 62220212345678901234 金额 1200.00                | 账号 62220212345678901234 金额 1200.00
            no id here                                            | no id here
            certNo 440524188001010014abc                          | certNo 440524********0014abc
            补录 11010519491231002 待核                            | 补录 110105*******1002 待核
            id 110105 19491231 002X.                              | id 110105********002X.
            id 110105-19491231-002x;                              | id 110105********002x;
            id 1101 0519 4912 3100 2X                             | id 110105********002X
            身份证１１０１０５１９４９１２３１００２Ｘ号              | 身份证110105********002X号
            身份证１１０１０５－１９４９１２３１－００２Ｘ            | 身份证110105********002X
            多一位 4405241880010100141                            | 多一位 440524*********0141
            电话 13800138000 11010519491231002X                   | 电话 13800138000 110105********002X
            """)
    @ParameterizedTest
    void maskAllMasksEveryIdShapedRunInFreeText(String text, String masked) {
        assertThat(ResidentIds.maskAll(text)).isEqualTo(masked);
    }

    /**
     * What the wider mask leaves alone: data that is not an ID and that a reader of a CSV, a log or a raw
     * payload needs whole (hashes, UUIDs, timestamps, all-digit credit codes, dates, phone numbers, amounts).
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "账号 62220212345678901234 金额 1200.00",
            "payloadSha256 53e508df9478806906095050f5b2be59fc185e8da8dc5b9441b7172d126c6354",
            "batch 550e8400-e29b-41d4-a716-446655440000",
            "at 20261204123045 and 20261204123045123",
            "creditCode 913707001234567893",
            "期限 2026-03-02 2026-03-10 18:00",
            "weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2",
            "tel +86 138 0013 8000, 0536-12345678 / 13800138000 13900139000",
            "amount 1234567890123.00 and 99999999999999.99",
            "SG-2026-000123 370700-XK-0012 TQ-TQ2026039005"})
    void maskAllLeavesDataThatIsNotAnIdAlone(String text) {
        assertThat(ResidentIds.maskAll(text)).isEqualTo(text);
        assertThat(ResidentIds.findClear(text)).isEmpty();
    }

    @Test
    void anAllDigitStringThatIsBothACreditCodeAndAnIdIsMasked() {
        String id = "370702195001010065";
        assertThat(ResidentIds.normalise("idNo", id, false)).isEqualTo(id);
        assertThat(CreditCodes.isValid(id)).as("also a valid credit code").isTrue();
        assertThat(ResidentIds.maskAll(id)).isEqualTo(ResidentIds.mask(id));
    }

    @Test
    void maskAllOfNullIsNull() {
        assertThat(ResidentIds.maskAll(null)).isNull();
    }

    @Test
    void theHashIsHmacSha256OfTheNormalisedNumber() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal("11010519491231002X".getBytes(StandardCharsets.US_ASCII)));
        ResidentIdProtector p = new ResidentIdProtector(SECRET);

        ProtectedId id = p.protect("idNo", "11010519491231002X", false);

        assertThat(id.hash()).isEqualTo(expected).matches("[0-9a-f]{64}");
        assertThat(id.masked()).isEqualTo("110105********002X");
        assertThat(p.protect("idNo", "11010519491231002x", false)).isEqualTo(id);
        assertThat(p.protect("idNo", "110105491231002", true)).as("legacy form of the same person").isEqualTo(id);
        assertThat(id.toString()).isEqualTo("110105********002X");
    }

    @Test
    void theHashIsStableForTheSameKeyAndDiffersBetweenKeys() {
        String id = "440524188001010014";
        ResidentIdProtector one = new ResidentIdProtector(SECRET);
        ResidentIdProtector sameKey = new ResidentIdProtector(SECRET);
        ResidentIdProtector otherKey = new ResidentIdProtector(SECRET + "-rotated");

        String hash = one.protect("idNo", id, false).hash();

        assertThat(one.protect("idNo", id, false).hash()).isEqualTo(hash);
        assertThat(sameKey.protect("idNo", id, false).hash()).isEqualTo(hash);
        assertThat(otherKey.protect("idNo", id, false).hash()).isNotEqualTo(hash);
        assertThat(one.protect("idNo", "11010519491231002X", false).hash()).as("another person").isNotEqualTo(hash);
    }

    /**
     * Key ids: key 1 (the key canonical v1 was released with) keeps today's bare hex, byte for byte, so every
     * stored record stays identical; a hash made with any other key says which ({@code k<id>:}), so hashes of
     * two keys never compare equal and a rotation is visible in the records.
     */
    @Test
    void aHashNamesItsKeyIdExceptTheReleasedKeyOneWhoseHashIsTodaysBareHex() throws Exception {
        String id = "440524188001010014";
        String rotatedSecret = SECRET + "-rotated";

        ProtectedId keyOne = new ResidentIdProtector(1, SECRET).protect("idNo", id, false);
        ProtectedId keyTwo = new ResidentIdProtector(2, rotatedSecret).protect("idNo", id, false);

        assertThat(keyOne.hash()).isEqualTo(hmacHex(SECRET, id))
                .isEqualTo(new ResidentIdProtector(SECRET).protect("idNo", id, false).hash());
        assertThat(keyTwo.hash()).isEqualTo("k2:" + hmacHex(rotatedSecret, id));
        assertThat(ResidentIdProtector.keyIdOf(keyOne.hash())).isEqualTo(1);
        assertThat(ResidentIdProtector.keyIdOf(keyTwo.hash())).isEqualTo(2);
        assertThat(new ResidentIdProtector(12, SECRET).protect("idNo", id, false).hash())
                .as("the same secret under another id is another key id").isEqualTo("k12:" + hmacHex(SECRET, id));
        assertThatThrownBy(() -> new ResidentIdProtector(0, SECRET)).hasMessageContaining("hub.personal-data.hmac-key-id");
    }

    private static String hmacHex(String secret, String id) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(id.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> new ResidentIdProtector("too-short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResidentIdProtector(null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The clear number (or its hidden middle, positions 7-14) never appears in what a refusal says. */
    @CsvSource({
            "11010519491231002Y, false",
            "11010519491231003x, false",
            "37078319900230123?, false",
            "110105491231002, false",
            "11010549123100X, true",
            "110105490230002, true",
            "11010519491231002, false",
            "110105194912310021X, false",
            "1101051949123A002X, false",
            "' 11010519491231002Y ', false"})
    @ParameterizedTest
    void noRefusalEverContainsTheClearNumber(String raw, boolean legacy) {
        String input = raw.replace("?", String.valueOf(residentIdCheck("37078319900230123")));
        String clear = input.trim().toUpperCase(Locale.ROOT);
        String hidden = clear.substring(6, Math.min(14, clear.length() - 4));
        ResidentIdProtector protector = new ResidentIdProtector(SECRET);

        List<InvalidSourceException> refusals = new ArrayList<>();
        for (Runnable attempt : List.<Runnable>of(
                () -> ResidentIds.normalise("idNo", input, legacy),
                () -> protector.protect("idNo", input, legacy))) {
            try {
                attempt.run();
            } catch (InvalidSourceException e) {
                refusals.add(e);
            }
        }

        assertThat(refusals).hasSize(2).allSatisfy(e -> {
            assertThat(e.getMessage()).doesNotContainIgnoringCase(clear).doesNotContain(hidden);
            assertThat(e.toString()).doesNotContainIgnoringCase(clear);
            assertThat(e.violations()).allSatisfy(v -> assertThat(String.valueOf(v.value())).doesNotContain(hidden));
        });
    }

    @Test
    void findClearFindsEveryShapeOfAValidNumber() {
        String text = "旧证 370702850315001；无校验位 11010519491231002；空格 110105 19491231 002X；"
                + "横线 440524-18800101-0014；全角 ３７０７８５１９８８０８０８００６９；多一位 4405241880010100141";
        assertThat(ResidentIds.findClear(text)).containsExactly("370702850315001", "11010519491231002",
                "11010519491231002X", "440524188001010014", "370785198808080069", "4405241880010100141");
        assertThat(ResidentIds.findClear(ResidentIds.maskAll(text))).as("after masking").isEmpty();
    }

    @Test
    void findClearLeavesNumbersThatCannotBeAnIdOut() {
        String text = "legacy day 370702850230001, legacy region 990702850315001, 17 digits no such day"
                + " 11010519491331002, 17 digits region 00 00010519491231002, wrong check 110105-19491231-0021";
        assertThat(ResidentIds.findClear(text)).isEmpty();
    }

    @Test
    void findClearFindsValidNumbersInFreeTextAndNothingElse() {
        String text = "申请人 11010519491231002x，代理 440524188001010014;"
                + " masked 110105********002X, wrong check 440524188001010015, no such day 37070219490231001X,"
                + " longer 44052418800101001412, hash ab440524188001010014cd";
        assertThat(ResidentIds.findClear(text)).containsExactly("11010519491231002x", "440524188001010014",
                "440524188001010014");
        assertThat(ResidentIds.findClear(null)).isEmpty();
        assertThat(ResidentIds.findClear(ResidentIds.maskAll(text))).as("after masking").isEmpty();
    }
}
