package yingyan.adapters.archfixture;

import yingyan.adapters.archneighbour.NeighbourParser;

/** Not an adapter: what {@code ArchitectureTest} must refuse, an adapter class that uses another adapter's. */
class ReachesIntoAnotherAdapter {

    String read(String line) {
        return NeighbourParser.parse(line);
    }
}
