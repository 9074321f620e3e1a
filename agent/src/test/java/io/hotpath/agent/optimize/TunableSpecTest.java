package io.hotpath.agent.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TunableSpecTest {
    @Test
    void parsesTheDocumentedExample() {
        final TunableSpec.Parsed p = TunableSpec.parseAll(
                "batch=com.acme.Broadcaster#batchSize:batch-size[1..512];"
                        + "flush=com.acme.Broadcaster#flushIntervalMs:flush-interval[1..200];"
                        + "zip=com.acme.Broadcaster#compress:compression",
                0,
                256);
        assertThat(p.problems()).isEmpty();
        assertThat(p.specs()).hasSize(3);
        final TunableSpec batch = p.specs().get(0);
        assertThat(batch.id()).isZero();
        assertThat(batch.name()).isEqualTo("batch");
        assertThat(batch.className()).isEqualTo("com.acme.Broadcaster");
        assertThat(batch.internalClassName()).isEqualTo("com/acme/Broadcaster");
        assertThat(batch.field()).isEqualTo("batchSize");
        assertThat(batch.role()).isEqualTo(Role.BATCH_SIZE);
        assertThat(batch.bounded()).isTrue();
        assertThat(batch.min()).isEqualTo(1);
        assertThat(batch.max()).isEqualTo(512);
        assertThat(p.specs().get(1).id()).isEqualTo(1);
        assertThat(p.specs().get(2).role()).isEqualTo(Role.COMPRESSION);
        assertThat(p.specs().get(2).bounded()).isFalse();
    }

    @Test
    void nestedClassesSpacesAndNegativeBoundsForGeneric() {
        final TunableSpec.Parsed p =
                TunableSpec.parseAll(" g = com.acme.Outer$Inner#offset : generic [ -5 .. 5 ] ; ", 7, 256);
        assertThat(p.problems()).isEmpty();
        assertThat(p.specs().get(0).id()).isEqualTo(7);
        assertThat(p.specs().get(0).className()).isEqualTo("com.acme.Outer$Inner");
        assertThat(p.specs().get(0).min()).isEqualTo(-5);
    }

    @Test
    void badEntriesAreOneLineProblemsAndSkipped() {
        final TunableSpec.Parsed p = TunableSpec.parseAll(
                "nonsense;"
                        + "a=com.acme.X#f:speed[1..2];"
                        + "b=com.acme.X#g:batch-size;"
                        + "c=com.acme.X#h:compression[0..1];"
                        + "d=com.acme.X#i:batch-size[10..5];"
                        + "e=com.acme.X#j:concurrency[0..8];"
                        + "ok=com.acme.X#k:batch-size[1..8];"
                        + "ok=com.acme.X#l:batch-size[1..8];"
                        + "again=com.acme.X#k:generic[1..8];"
                        + "big=com.acme.X#m:generic[1..99999999999999999999]",
                0,
                256);
        assertThat(p.specs()).extracting(TunableSpec::name).containsExactly("ok");
        assertThat(p.problems())
                .hasSize(9)
                .allMatch(l -> l.startsWith("hotpath.tunables entry '") && !l.contains("\n"));
        assertThat(p.problems().get(0)).contains("not <name>=<class>#<field>:<role>[<min>..<max>]");
        assertThat(p.problems().get(1)).contains("unknown role 'speed'");
        assertThat(p.problems().get(2)).contains("batch-size needs bounds");
        assertThat(p.problems().get(3)).contains("compression is a boolean");
        assertThat(p.problems().get(4)).contains("min is above max");
        assertThat(p.problems().get(5)).contains("go below 1");
        assertThat(p.problems().get(6)).contains("name ok is already declared");
        assertThat(p.problems().get(7)).contains("com.acme.X#k is already declared");
        assertThat(p.problems().get(8)).contains("not whole numbers within the long range");
    }

    @Test
    void capacityIsEnforced() {
        final TunableSpec.Parsed p =
                TunableSpec.parseAll("a=com.acme.X#f:generic[1..2];b=com.acme.X#g:generic[1..2]", 0, 1);
        assertThat(p.specs()).hasSize(1);
        assertThat(p.problems()).singleElement().asString().contains("at most 1 tunables");
    }
}
