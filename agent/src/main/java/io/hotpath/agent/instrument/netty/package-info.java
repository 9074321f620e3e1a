/** Advice for Netty 4.1 and 4.2: outbound buffers, writability and ChannelGroup broadcasts. */
package io.hotpath.agent.instrument.netty;
