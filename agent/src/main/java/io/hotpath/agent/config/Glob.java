package io.hotpath.agent.config;

/**
 * A name pattern as users write them in {@code hotpath.include}, {@code hotpath.exclude}, {@code hotpath.probes} and
 * rule probe globs: {@code *} matches any run of characters, every other character matches itself.
 *
 * <p>Why not a regular expression: {@code *} translated to {@code .*} backtracks, and a pattern with many stars
 * ({@code *a*a*a*a*a*a*a*a*a*a*a*a*b}) against a long name that does not match takes exponential time. Class filters
 * run while the application loads its classes, so such a pattern would hang the application. This matcher is the
 * greedy one that only ever backs up to the last star seen: at most {@code pattern length x name length} steps.
 */
public final class Glob {
    private final String pattern;

    private Glob(String pattern) {
        this.pattern = pattern;
    }

    /** The glob {@code pattern}; any text is a valid glob (callers check the characters they allow). */
    public static Glob of(String pattern) {
        return new Glob(pattern);
    }

    /** The pattern as given. */
    public String pattern() {
        return pattern;
    }

    /** Whether the whole of {@code name} matches. */
    public boolean matches(String name) {
        final String p = pattern;
        int pi = 0;
        int ni = 0;
        int star = -1;
        int resume = 0;
        while (ni < name.length()) {
            if (pi < p.length() && p.charAt(pi) == '*') {
                // Remember where this star is and let it match nothing for now.
                star = pi++;
                resume = ni;
            } else if (pi < p.length() && p.charAt(pi) == name.charAt(ni)) {
                pi++;
                ni++;
            } else if (star >= 0) {
                // Mismatch: the last star takes one more character. Earlier stars never need to be revisited,
                // because the last one can absorb anything they could have.
                pi = star + 1;
                ni = ++resume;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
