package dev.cnnensemble.dataset.upload;

import java.util.Comparator;

/** Names in the order people count: runs of digits compare as numbers, so "2.png" comes before "10.png". */
final class NaturalOrder {

    static final Comparator<String> NAMES = NaturalOrder::compareNumbersAsNumbers;
    /** Total: "07" and "7" count alike, then compare as text. */
    static final Comparator<String> TOTAL = NAMES.thenComparing(Comparator.naturalOrder());

    private NaturalOrder() {
    }

    private static int compareNumbersAsNumbers(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            if (isDigit(a.charAt(i)) && isDigit(b.charAt(j))) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                String numberA = withoutLeadingZeros(a.substring(i, endA));
                String numberB = withoutLeadingZeros(b.substring(j, endB));
                // Compared as text, not parsed: a run of digits may be longer than a long.
                int byValue = numberA.length() != numberB.length() ? Integer.compare(numberA.length(), numberB.length()) : numberA.compareTo(numberB);
                if (byValue != 0) {
                    return byValue;
                }
                i = endA;
                j = endB;
            } else {
                if (a.charAt(i) != b.charAt(j)) {
                    return Character.compare(a.charAt(i), b.charAt(j));
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digitsEnd(String s, int from) {
        int end = from;
        while (end < s.length() && isDigit(s.charAt(end))) {
            end++;
        }
        return end;
    }

    private static String withoutLeadingZeros(String digits) {
        int start = 0;
        while (start < digits.length() - 1 && digits.charAt(start) == '0') {
            start++;
        }
        return digits.substring(start);
    }
}
