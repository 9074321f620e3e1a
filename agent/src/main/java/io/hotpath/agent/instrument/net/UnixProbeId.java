package io.hotpath.agent.instrument.net;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Like {@link io.hotpath.agent.instrument.advice.ProbeId}, for the UNIX-domain twin of a socket probe: one JDK class
 * ({@code SocketChannelImpl}) serves both TCP and UNIX-domain sockets, and the advice picks the id by the channel's
 * protocol family, a final field read.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@interface UnixProbeId {}
