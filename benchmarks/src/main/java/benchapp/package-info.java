/**
 * The benchmarks' stand-in for application code: where queues and pools are created and the methods that are
 * probed. It lives outside {@code io.hotpath} because the agent never instruments its own packages, so only code here
 * gets the rewrites and advice a real application would.
 */
package benchapp;
