package io.hotpath.agent.instrument.net;

import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.ipc.Endpoints;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into {@code sun.nio.ch.DatagramChannelImpl}, the JDK's {@code DatagramChannel} (UDP): datagrams and
 * bytes sent and received, counted on the operation probe and on the channel's endpoint probe, attached at its first
 * datagram ({@link Endpoints#datagramSent}).
 */
final class DatagramChannelAdvice {
    private DatagramChannelAdvice() {}

    /** DatagramChannel send(ByteBuffer, SocketAddress) and write(ByteBuffer): datagrams and bytes sent. */
    static final class Send {
        private Send() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id, @Advice.Argument(0) ByteBuffer src, @Advice.Local("offered") long offered) {
            final Probe p = Probes.get(id);
            try {
                offered = src.remaining();
                return p.begin();
            } catch (Throwable t) {
                p.fail(t);
                return 0L;
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.FieldValue("localAddress") Object local,
                @Advice.FieldValue("remoteAddress") Object remote,
                @Advice.Enter long start,
                @Advice.Local("offered") long offered,
                @Advice.Return int n,
                @Advice.Thrown Throwable thrown) {
            final Probe p = Probes.get(id);
            try {
                if (thrown != null) {
                    p.endWithError(start);
                    return;
                }
                Endpoints.datagramSent(p, self, local, remote, n, offered);
                p.end(start);
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /** DatagramChannel receive(ByteBuffer): datagrams and bytes received (buffer position moved). */
    static final class Receive {
        private Receive() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id, @Advice.Argument(0) ByteBuffer dst, @Advice.Local("pos") int pos) {
            final Probe p = Probes.get(id);
            try {
                pos = dst.position();
                return p.begin();
            } catch (Throwable t) {
                p.fail(t);
                return 0L;
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.FieldValue("localAddress") Object local,
                @Advice.FieldValue("remoteAddress") Object remote,
                @Advice.Argument(0) ByteBuffer dst,
                @Advice.Enter long start,
                @Advice.Local("pos") int pos,
                @Advice.Return Object from,
                @Advice.Thrown Throwable thrown) {
            final Probe p = Probes.get(id);
            try {
                if (thrown != null) {
                    p.endWithError(start);
                    return;
                }
                if (from != null) {
                    Endpoints.datagramReceived(p, self, local, remote, dst.position() - pos);
                }
                p.end(start);
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /** DatagramChannel read(ByteBuffer) on a connected channel: datagrams and bytes received. */
    static final class Read {
        private Read() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ProbeId int id) {
            return Probes.begin(id);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This Object self,
                @Advice.FieldValue("localAddress") Object local,
                @Advice.FieldValue("remoteAddress") Object remote,
                @Advice.Enter long start,
                @Advice.Return int n,
                @Advice.Thrown Throwable thrown) {
            final Probe p = Probes.get(id);
            try {
                if (thrown != null) {
                    p.endWithError(start);
                    return;
                }
                if (n >= 0) {
                    Endpoints.datagramReceived(p, self, local, remote, n);
                }
                p.end(start);
            } catch (Throwable t) {
                p.fail(t);
            }
        }
    }

    /** DatagramChannel close: detaches the channel's endpoint probe, counting it closed there. */
    static final class Close {
        private Close() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@ProbeId int id, @Advice.This Object self) {
            try {
                Endpoints.close(self);
            } catch (Throwable t) {
                Probes.get(id).fail(t);
            }
        }
    }
}
