package ai.treum.gitops.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** What {@code plan} found, object by object, printed as text or as one JSON/YAML document. */
final class PlanReport {

    /** What a sync would do to one object. */
    enum Action {
        ADD("+ "), CHANGE("~ "), PRUNE("- "), RUN("> "), KEEP("  "), UNKNOWN_KIND("? "), FAILED("! "), PRUNE_BLOCKED("! "),
        AWS_CHANGE("~ "), AWS_DRIFT("  "), NOTE("# ");

        private final String mark;

        Action(String mark) {
            this.mark = mark;
        }
    }

    /**
     * @param object  the object, as {@code Kind/namespace/name}; empty when the entry is of no one object
     * @param detail  one line: why, or what kind of addition; empty when there is nothing to add
     * @param diff    the unified diff, or the object's lines when it is new; never a Secret value
     * @param note    a line after the diff (a Secret whose values differ); empty for none
     */
    record Entry(Action action, String object, String detail, List<String> diff, String note) {
    }

    private final String environment;
    private final List<Entry> entries = new ArrayList<>();

    PlanReport(String environment) {
        this.environment = environment;
    }

    void add(Entry entry) {
        entries.add(entry);
    }

    long count(Action action) {
        return entries.stream().filter(e -> e.action() == action).count();
    }

    void printText(PrintWriter out) {
        for (Entry entry : entries) {
            out.println(entry.action().mark + headline(entry));
            entry.diff().forEach(out::println);
            if (!entry.note().isEmpty()) {
                out.println("  (" + entry.note() + ")");
            }
        }
        out.printf("plan for %s: %d to add, %d to change, %d to prune, %d failed%s%n", environment, count(Action.ADD),
                count(Action.CHANGE), count(Action.PRUNE), count(Action.FAILED),
                (count(Action.RUN) == 0 ? "" : ", " + count(Action.RUN) + " hook Job(s) to run")
                        + (count(Action.AWS_CHANGE) == 0 ? "" : ", " + count(Action.AWS_CHANGE) + " AWS change(s)"));
    }

    private static String headline(Entry entry) {
        return switch (entry.action()) {
            case ADD -> entry.object() + " (" + entry.detail() + ")";
            case CHANGE -> entry.object();
            case PRUNE -> entry.object() + " (would be " + (entry.detail().isEmpty() ? "pruned" : "deleted: " + entry.detail()) + ")";
            case RUN -> entry.object() + " (" + entry.detail() + ")";
            case NOTE -> entry.detail();
            case AWS_CHANGE, AWS_DRIFT -> "AWS " + entry.object() + ": " + entry.detail();
            case FAILED -> entry.detail();
            case PRUNE_BLOCKED -> "prune blocked: " + entry.detail();
            default -> entry.object() + ": " + entry.detail();
        };
    }

    ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode().put("environment", environment);
        root.putObject("summary").put("add", count(Action.ADD)).put("change", count(Action.CHANGE))
                .put("prune", count(Action.PRUNE)).put("run", count(Action.RUN)).put("aws", count(Action.AWS_CHANGE))
                .put("failed", count(Action.FAILED));
        var list = root.putArray("objects");
        for (Entry entry : entries) {
            ObjectNode node = list.addObject().put("action", entry.action().name().toLowerCase().replace('_', '-'));
            if (!entry.object().isEmpty()) {
                node.put("object", entry.object());
            }
            if (!entry.detail().isEmpty()) {
                node.put("detail", entry.detail());
            }
            if (!entry.diff().isEmpty()) {
                entry.diff().forEach(node.putArray("diff")::add);
            }
            if (!entry.note().isEmpty()) {
                node.put("note", entry.note());
            }
        }
        return root;
    }
}
