/**
 * Rewriting of the reads of fields the user declared tunable ({@code hotpath.tunables}), so that the optimizer's value
 * reaches the application's code: a class file transformer, beside the advice and construction-site rewriting.
 */
package io.hotpath.agent.instrument.field;
