package yingyan.adapters.archneighbour;

/** Not an adapter: the other adapter's class {@code ArchitectureTest}'s fixture reaches into. */
public final class NeighbourParser {
    private NeighbourParser() {
    }

    public static String parse(String line) {
        return line.trim();
    }
}
