/**
 * The agent's configuration: {@link io.hotpath.agent.config.Settings} is the catalogue of every {@code hotpath.*}
 * setting (docs/configuration.md is generated from it), and {@link io.hotpath.agent.config.Config} resolves them from
 * agent arguments, system properties, {@code HOTPATH_*} variables and a file, with one line per bad or unknown input.
 */
package io.hotpath.agent.config;
