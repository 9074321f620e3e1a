/** What the local HTTP endpoint costs: CPU per {@code GET /api/dump} with many probes. */
package io.hotpath.benchmarks.http;
