/**
 * Methods the user names with {@code hotpath.probes}: the parsing of each entry, the advice module that matches the
 * named classes and methods, and the entry advice of batch and broadcast methods that also records the size of their
 * first argument.
 */
package io.hotpath.agent.instrument.method;
