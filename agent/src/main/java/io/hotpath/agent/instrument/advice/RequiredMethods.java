package io.hotpath.agent.instrument.advice;

import io.hotpath.agent.log.AgentLog;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * A version check for a library type: matches a type only when it declares every method a module's advice expects,
 * with the expected parameter types. When a type the module targets lacks one, the module is skipped for that type
 * with one log line naming the module, the type and the missing method; nothing is transformed and the application
 * never sees an error.
 *
 * @param module the module name, for the log line
 * @param methods the required methods as {@code name(fully.qualified.Param,int,...)}
 */
public record RequiredMethods(String module, List<String> methods) implements ElementMatcher<TypeDescription> {
    /** Required methods written as {@code name(type,type)} with fully qualified parameter type names. */
    public static RequiredMethods of(String module, String... methods) {
        return new RequiredMethods(module, List.of(methods));
    }

    @Override
    public boolean matches(TypeDescription type) {
        for (String required : methods) {
            if (!declares(type, required)) {
                AgentLog.once(
                        AgentLog.Level.INFO,
                        "unsupported:" + module + ":" + type.getName(),
                        "instrumentation module " + module + " skipped for " + type.getName()
                                + ": unsupported version, it has no method " + required);
                return false;
            }
        }
        return true;
    }

    private static boolean declares(TypeDescription type, String required) {
        for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
            if (signature(m).equals(required)) {
                return true;
            }
        }
        return false;
    }

    /** {@code name(type,type)} of a method, as used in {@link #methods}. */
    public static String signature(MethodDescription m) {
        final StringBuilder sb = new StringBuilder(m.getName()).append('(');
        for (int i = 0; i < m.getParameters().size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(m.getParameters().get(i).getType().asErasure().getName());
        }
        return sb.append(')').toString();
    }
}
