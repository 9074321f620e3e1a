package io.hotpath.agent.instrument.net;

import net.bytebuddy.asm.Advice;

/**
 * Entry of a socket's connect ({@code SocketChannelImpl} and {@code NioSocketImpl} both keep their connection state in
 * an int field named {@code state}): the state before the call, so that the exit counts a connection only when the
 * call turned it connected ({@link SocketChannelAdvice.Connect}, {@link ClassicSocketAdvice.Connect}).
 */
final class StateBefore {
    private StateBefore() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.FieldValue("state") int state) {
        return state;
    }
}
