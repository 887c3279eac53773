package ai.treum.gitops.model;

/** An object the daemon applied for an environment, with the apiVersion to address it by. */
public record InventoryEntry(ResourceKey key, String apiVersion) implements Comparable<InventoryEntry> {

    /** One line: {@code group|kind|namespace|name|apiVersion}. */
    public String encode() {
        return key.encode() + "|" + apiVersion;
    }

    public static InventoryEntry parse(String line) {
        int last = line.lastIndexOf('|');
        if (last < 0) {
            throw new IllegalArgumentException("not an inventory entry: " + line);
        }
        return new InventoryEntry(ResourceKey.parse(line.substring(0, last)), line.substring(last + 1));
    }

    @Override
    public int compareTo(InventoryEntry other) {
        return key.compareTo(other.key);
    }

    @Override
    public String toString() {
        return key.toString();
    }
}
