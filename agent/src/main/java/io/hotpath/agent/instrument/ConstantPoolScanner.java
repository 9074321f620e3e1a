package io.hotpath.agent.instrument;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Reads only the constant pool of a class file to tell whether it names any of a set of classes. Almost every class
 * the JVM loads names none of the JDK types we rewrite, and this check costs a few microseconds where a full parse
 * and rewrite costs a hundred times more.
 */
public final class ConstantPoolScanner {
    private ConstantPoolScanner() {}

    /**
     * Whether any CONSTANT_Utf8 entry of the class file contains one of {@code names} (internal names such as
     * {@code java/util/concurrent/ArrayBlockingQueue}); a class that references a type as a class constant or in a
     * descriptor has it in a Utf8 entry. Returns true on anything it cannot read, so the caller parses properly.
     */
    public static boolean mentionsAny(byte[] classFile, Set<String> names, String commonPrefix) {
        try {
            final byte[] prefix = commonPrefix.getBytes(StandardCharsets.UTF_8);
            if (classFile.length < 10 || (classFile[0] & 0xff) != 0xCA || (classFile[1] & 0xff) != 0xFE) {
                return true;
            }
            final int count = u2(classFile, 8);
            int pos = 10;
            for (int i = 1; i < count; i++) {
                final int tag = classFile[pos] & 0xff;
                switch (tag) {
                    case 1 -> { // Utf8
                        final int len = u2(classFile, pos + 1);
                        final int start = pos + 3;
                        if (len >= prefix.length
                                && containsPrefix(classFile, start, len, prefix)
                                && containsAny(classFile, start, len, names)) {
                            return true;
                        }
                        pos = start + len;
                    }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> pos += 5;
                    case 5, 6 -> {
                        pos += 9;
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> pos += 3;
                    case 15 -> pos += 4;
                    default -> {
                        return true;
                    }
                }
            }
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static int u2(byte[] b, int pos) {
        return ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
    }

    private static boolean containsPrefix(byte[] b, int start, int len, byte[] prefix) {
        final int last = start + len - prefix.length;
        outer:
        for (int i = start; i <= last; i++) {
            for (int j = 0; j < prefix.length; j++) {
                if (b[i + j] != prefix[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean containsAny(byte[] b, int start, int len, Set<String> names) {
        final String s = new String(b, start, len, StandardCharsets.UTF_8);
        for (String n : names) {
            if (s.contains(n)) {
                return true;
            }
        }
        return false;
    }
}
