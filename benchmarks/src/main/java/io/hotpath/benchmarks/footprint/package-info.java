/**
 * Small programs that {@code benchmarks/footprint.sh} launches to measure the agent's memory and CPU footprint: an idle
 * service, a short queue run, and an OTLP/HTTP sink that answers every export and counts what it received.
 */
package io.hotpath.benchmarks.footprint;
