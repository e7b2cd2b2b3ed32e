package org.elves.camelk;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Jackson's FAIL_ON_UNKNOWN_PROPERTIES does not reach fabric8's Kubernetes model classes (ObjectMeta,
 * StatefulSet, Service, ...): they keep unknown fields in {@code additionalProperties}
 * ({@code @JsonAnySetter}). This walks a read object and fails on any such field, naming its path.
 */
final class StrictModel {
    private StrictModel() {
    }

    /** Fails when an object of the model under {@code root} holds a field its class does not declare. */
    static void requireNoUnknownFields(Object root, String where, Set<String> freeForm) {
        walk(root, "", where, freeForm);
    }

    private static void walk(Object value, String path, String where, Set<String> freeForm) {
        if (value == null || (!path.isEmpty() && freeForm.contains(path.substring(1)))) {
            return;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", where, freeForm);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, where, freeForm));
            return;
        }
        if (!isModel(value.getClass())) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    throw new AssertionError(where + ": " + (path.isEmpty() ? "(top)" : path.substring(1))
                            + " has fields its model (" + value.getClass().getName() + ") does not know: " + extra.keySet());
                }
                continue;
            }
            if (child instanceof List || child instanceof Map || (child != null && isModel(child.getClass()))) {
                String name = getter.getName().substring(3);
                walk(child, path + "." + name.substring(0, 1).toLowerCase(Locale.ROOT) + name.substring(1), where, freeForm);
            }
        }
    }

    private static boolean isModel(Class<?> type) {
        String name = type.getName();
        return (name.startsWith("io.fabric8.kubernetes.api.model.") || name.startsWith("org.apache.camel.v1."))
                && !type.isEnum();
    }
}
