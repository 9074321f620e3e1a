package io.hotpath.agent.alert;

import java.util.regex.Pattern;

/**
 * A URL as the agent may print it: user info, query and fragment replaced by {@code ***}, so that credentials in a
 * webhook URL ({@code https://user:secret@host/hook?token=...}) never reach a log. Works on text that is not a valid
 * URI as well: the agent prints what it was given when it cannot use it.
 */
final class RedactedUrl {
    private static final Pattern QUERY = Pattern.compile("\\?.*$", Pattern.DOTALL);
    private static final Pattern FRAGMENT = Pattern.compile("#.*$", Pattern.DOTALL);

    private RedactedUrl() {}

    /** {@code https://***@host/hook?***} for {@code https://user:secret@host/hook?token=x}. */
    static String of(String url) {
        if (url == null) {
            return "(none)";
        }
        String s = url.trim();
        // Before the path starts, anything up to the last '@' is user info: a password may itself hold '@', ':', '?'
        // or '#' (not valid in a URI, but the agent prints what it was given). Over-redacting a host is the lesser
        // harm.
        final int schemeEnd = s.indexOf("//");
        final int hostStart = schemeEnd >= 0 ? schemeEnd + 2 : 0;
        final int pathStart = firstOf(s, hostStart, '/');
        final int at = pathStart == 0 ? -1 : s.lastIndexOf('@', pathStart - 1);
        if (at >= hostStart) {
            s = s.substring(0, hostStart) + "***" + s.substring(at);
        }
        s = FRAGMENT.matcher(s).replaceFirst("#***");
        s = QUERY.matcher(s).replaceFirst("?***");
        return s;
    }

    private static int firstOf(String s, int from, char... cs) {
        int best = s.length();
        for (char c : cs) {
            final int i = s.indexOf(c, from);
            if (i >= 0 && i < best) {
                best = i;
            }
        }
        return best;
    }
}
