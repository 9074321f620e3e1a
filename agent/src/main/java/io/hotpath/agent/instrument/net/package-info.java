/**
 * Advice for JDK sockets, one advice class per JDK implementation class it is inlined into, wired by
 * {@link io.hotpath.agent.instrument.net.SocketsModule}: {@code SocketChannelAdvice} (TCP and UNIX-domain stream
 * channels), {@code ServerSocketChannelAdvice} (their accept), {@code DatagramChannelAdvice} (UDP),
 * {@code DatagramSocketAdvice} (a {@code java.net.DatagramSocket}'s receive) and {@code ClassicSocketAdvice}
 * ({@code java.net.Socket} and {@code ServerSocket} streams).
 */
package io.hotpath.agent.instrument.net;
