/**
 * The cost of one OTLP export interval on the agent's export thread: snapshot, conversion to OpenTelemetry metric data
 * and protobuf serialisation, run on the exporter and SDK classes loaded from the built agent jar, so the figure is of
 * the code that ships.
 */
package io.hotpath.benchmarks.export;
