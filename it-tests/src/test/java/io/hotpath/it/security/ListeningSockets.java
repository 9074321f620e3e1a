package io.hotpath.it.security;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The sockets a Linux process could accept or receive on, read from {@code /proc}: TCP sockets in state LISTEN, bound
 * UDP sockets and listening UNIX-domain sockets, each only if one of the process's own file descriptors refers to it
 * ({@code /proc/PID/net/*} lists the whole network namespace; {@code /proc/PID/fd} says which inodes are the
 * process's).
 */
public final class ListeningSockets {
    private static final String TCP_LISTEN = "0A";
    private static final String UNIX_ACCEPTING = "00010000";

    private ListeningSockets() {}

    /** One line per socket, e.g. {@code tcp 0.0.0.0:8080} or {@code unix /tmp/.java_pid42}; empty if none. */
    public static List<String> of(long pid) throws IOException {
        final Set<String> inodes = socketInodes(pid);
        final List<String> out = new ArrayList<>();
        for (String proto : List.of("tcp", "tcp6", "udp", "udp6")) {
            final Path table = Path.of("/proc/" + pid + "/net/" + proto);
            if (!Files.exists(table)) {
                continue;
            }
            final List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(1, lines.size())) {
                final String[] f = line.trim().split("\\s+");
                final boolean open = proto.startsWith("udp") || f[3].equals(TCP_LISTEN);
                if (f.length > 9 && open && inodes.contains(f[9])) {
                    out.add(proto + " " + address(f[1]));
                }
            }
        }
        final Path unix = Path.of("/proc/" + pid + "/net/unix");
        if (Files.exists(unix)) {
            final List<String> lines = Files.readAllLines(unix);
            for (String line : lines.subList(1, lines.size())) {
                final String[] f = line.trim().split("\\s+");
                if (f.length > 6 && f[3].equals(UNIX_ACCEPTING) && inodes.contains(f[6])) {
                    out.add("unix " + (f.length > 7 ? f[7] : "(unnamed)"));
                }
            }
        }
        return out;
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        final Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds) {
                try {
                    final String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while we looked: it listens on nothing now
                }
            }
        }
        return inodes;
    }

    /** {@code 0100007F:1F90} (little-endian IPv4) or a 32-digit IPv6 form, as {@code host:port}. */
    static String address(String hex) {
        final int colon = hex.indexOf(':');
        final int port = Integer.parseInt(hex.substring(colon + 1), 16);
        final String host = hex.substring(0, colon);
        if (host.length() == 8) {
            final StringBuilder ip = new StringBuilder();
            for (int i = 3; i >= 0; i--) {
                ip.append(Integer.parseInt(host.substring(2 * i, 2 * i + 2), 16));
                if (i > 0) {
                    ip.append('.');
                }
            }
            return ip + ":" + port;
        }
        if (host.startsWith("0000000000000000FFFF0000")) { // an IPv4-mapped IPv6 address
            return "[::ffff:" + address(host.substring(24) + ":0").replace(":0", "") + "]:" + port;
        }
        return "[" + host + "]:" + port;
    }
}
