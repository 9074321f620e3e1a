package io.hotpath.agent.instrument.netty;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Like {@link io.hotpath.agent.instrument.advice.ProbeId}, for the {@code ChannelGroup#writeAndFlush} probe in advice
 * that must name both group probes: a group future completes without knowing which of the two operations made it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@interface FlushProbeId {}
