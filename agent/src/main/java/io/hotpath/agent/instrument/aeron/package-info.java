/** Advice for Aeron 1.x publications and subscriptions. */
package io.hotpath.agent.instrument.aeron;
