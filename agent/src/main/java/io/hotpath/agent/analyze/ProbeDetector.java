package io.hotpath.agent.analyze;

import java.util.List;

/** One detector over one probe's window figures; adds an observation for each condition that holds this tick. */
interface ProbeDetector {
    void detect(ProbeState p, AnalyzerConfig c, List<Observation> out);
}
