package hark.status.listing;

import java.util.List;

/** One page of the caller's nodes; {@code total} counts every node that matches. */
public record NodePage(List<NodeSummary> items, int page, int size, long total) {}
