package io.hotpath.agent.analyze.detect;

import io.hotpath.agent.analyze.AnalyzerConfig;
import io.hotpath.agent.analyze.finding.Observation;
import java.util.List;

/** One detector over one probe's window figures; adds an observation for each condition that holds this tick. */
public interface ProbeDetector {
    void detect(ProbeState p, AnalyzerConfig c, List<Observation> out);
}
