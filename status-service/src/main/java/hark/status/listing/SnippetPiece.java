package hark.status.listing;

/** A piece of a search hit's passage: plain text, marked when it is one of the words searched for. */
public record SnippetPiece(String text, boolean match) {}
