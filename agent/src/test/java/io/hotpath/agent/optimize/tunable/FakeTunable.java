package io.hotpath.agent.optimize.tunable;

import java.util.OptionalLong;

/** A tunable held in memory, for controller, guardrail and optimizer tests. */
public final class FakeTunable implements Tunable {
    private final String name;
    private final Role role;
    private final String path;
    private final long min;
    private final long max;
    private final long original;
    public long value;
    public boolean overridden;
    public int applies;
    /** Whether it stands for every class of its path's package (see {@link Tunable#packageWide()}). */
    public boolean packageWide;

    public FakeTunable(String name, Role role, String path, long min, long max, long original) {
        this.name = name;
        this.role = role;
        this.path = path;
        this.min = min;
        this.max = max;
        this.original = original;
        this.value = original;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Role role() {
        return role;
    }

    @Override
    public String owner() {
        return "test";
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public boolean packageWide() {
        return packageWide;
    }

    @Override
    public long min() {
        return min;
    }

    @Override
    public long max() {
        return max;
    }

    @Override
    public boolean isBoolean() {
        return role == Role.COMPRESSION;
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public OptionalLong current() {
        return OptionalLong.of(value);
    }

    @Override
    public OptionalLong original() {
        return OptionalLong.of(original);
    }

    @Override
    public boolean overridden() {
        return overridden;
    }

    @Override
    public void apply(long v) {
        value = v;
        overridden = true;
        applies++;
    }

    @Override
    public void restore() {
        value = original;
        overridden = false;
    }
}
