/**
 * The health score built from the findings: {@link io.hotpath.agent.analyze.health.Health} scores the whole
 * application and each probe from 0 to 1, and {@link io.hotpath.agent.analyze.health.HealthState} names the band
 * (healthy above 0.8, degraded from 0.5 to 0.8, unhealthy at 0.5 and below).
 */
package io.hotpath.agent.analyze.health;
