package yingyan.canonical;

/** Unified social credit code (GB 32100-2015): 18 characters with a check character. */
public final class CreditCodes {
    private static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private CreditCodes() {
    }

    /** True when the code has 18 characters of the alphabet and a correct check character. */
    public static boolean isValid(String code) {
        if (code == null || code.length() != 18) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            int v = ALPHABET.indexOf(code.charAt(i));
            if (v < 0) {
                return false;
            }
            sum += v * WEIGHTS[i];
        }
        int check = 31 - sum % 31;
        if (check == 31) {
            check = 0;
        }
        return code.charAt(17) == ALPHABET.charAt(check);
    }
}
