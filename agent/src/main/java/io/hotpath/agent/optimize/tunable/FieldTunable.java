package io.hotpath.agent.optimize.tunable;

import io.hotpath.bootstrap.Tunables;
import java.util.OptionalLong;

/** A declared field whose reads the agent rewrote; its value lives in a {@link Tunables} cell. */
final class FieldTunable implements Tunable {
    private final TunableSpec spec;
    private volatile boolean resolved;
    private volatile boolean isStatic;
    private volatile boolean isFinal;
    private volatile char type = '?';
    private volatile String rejection;

    public FieldTunable(TunableSpec spec) {
        this.spec = spec;
    }

    /** The declaration. */
    public TunableSpec spec() {
        return spec;
    }

    void resolved(boolean isStatic, boolean isFinal, char type) {
        this.isStatic = isStatic;
        this.isFinal = isFinal;
        this.type = type;
        this.resolved = true;
    }

    void rejected(String problem) {
        this.rejection = problem;
    }

    /** Why the declaration was rejected, or null. */
    public String rejection() {
        return rejection;
    }

    /** Whether its declaring class was loaded and the field found suitable. */
    public boolean resolved() {
        return resolved && rejection == null;
    }

    /** {@code static int}, {@code final long} and so on, once resolved; else {@code unresolved}. */
    public String describeField() {
        if (!resolved()) {
            return rejection != null ? "rejected" : "unresolved";
        }
        final String t =
                switch (type) {
                    case 'Z' -> "boolean";
                    case 'J' -> "long";
                    default -> "int";
                };
        return (isStatic ? "static " : "instance ") + (isFinal ? "final " : "") + t;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public Role role() {
        return spec.role();
    }

    @Override
    public String owner() {
        return "field " + spec.target();
    }

    @Override
    public boolean packageWide() {
        return true;
    }

    @Override
    public String path() {
        return spec.className();
    }

    @Override
    public long min() {
        if (isBoolean()) {
            return 0;
        }
        return spec.bounded() ? spec.min() : (type == 'I' ? Integer.MIN_VALUE : Long.MIN_VALUE);
    }

    @Override
    public long max() {
        if (isBoolean()) {
            return 1;
        }
        return spec.bounded() ? spec.max() : (type == 'I' ? Integer.MAX_VALUE : Long.MAX_VALUE);
    }

    @Override
    public boolean isBoolean() {
        return type == 'Z' || spec.role().isBoolean();
    }

    @Override
    public boolean live() {
        return resolved() && Tunables.hasOriginalAcquire(spec.id());
    }

    @Override
    public OptionalLong current() {
        if (overridden()) {
            return OptionalLong.of(Tunables.valueAcquire(spec.id()));
        }
        return original();
    }

    @Override
    public OptionalLong original() {
        return Tunables.hasOriginalAcquire(spec.id())
                ? OptionalLong.of(Tunables.originalAcquire(spec.id()))
                : OptionalLong.empty();
    }

    @Override
    public boolean overridden() {
        return Tunables.stateAcquire(spec.id()) == Tunables.ACTIVE;
    }

    @Override
    public void apply(long value) {
        Tunables.activateRelease(spec.id(), value);
    }

    @Override
    public void restore() {
        Tunables.deactivateRelease(spec.id());
    }
}
