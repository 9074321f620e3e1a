package io.hotpath.agent.instrument.net;

import io.hotpath.agent.instrument.advice.CallAdvice;
import io.hotpath.agent.instrument.advice.ProbeId;
import io.hotpath.bootstrap.ipc.Endpoints;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into {@code sun.nio.ch.DatagramSocketAdaptor}, which runs a {@code java.net.DatagramSocket} on a
 * datagram channel. Its send reaches the channel's own send ({@link DatagramChannelAdvice}); its receive does not.
 */
final class DatagramSocketAdvice {
    private DatagramSocketAdvice() {}

    /** DatagramSocket receive(DatagramPacket): the packet's length once it returned, and the sampled latency. */
    static final class Receive {
        private Receive() {}

        /** Exit; the entry is {@link CallAdvice.Begin}. */
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @ProbeId int id,
                @Advice.This DatagramSocket self,
                @Advice.FieldValue("dc") Object channel,
                @Advice.Argument(0) DatagramPacket packet,
                @Advice.Enter long start,
                @Advice.Thrown Throwable thrown) {
            Endpoints.datagramSocketReceived(id, channel, self, packet.getLength(), start, thrown);
        }
    }
}
