package hark.status.listing;

import hark.status.StatusServiceConfiguration;
import hark.status.view.JobStatus;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads a user's list, and searches it: PostgreSQL full-text search over each node's latest
 * transcript and its title. The words are kept in stored tsvector columns with GIN indexes, so a
 * search reads the matching rows only, ranks those, and marks a passage (ts_headline, which parses
 * the text again) only in the page's rows. Every part of the query is limited to the caller's rows.
 */
@Component
public class NodeSearch {

    /** Characters of a transcript that are searched and quoted from; see the migration that indexes them. */
    static final int SEARCHED_CHARS = 250_000;

    private final DatabaseClient db;
    private final String schema = StatusServiceConfiguration.SCHEMA.name();

    public NodeSearch(DatabaseClient db) {
        this.db = db;
    }

    /**
     * A page of the user's nodes, each with its latest job: newest first, or, with {@code query},
     * only those whose transcript or title has its words, best match first.
     *
     * @param query  websearch_to_tsquery's syntax ("quoted phrase", or, -not); null for all
     * @param status null for every status
     */
    public Flux<NodeSummary> page(String userId, String query, JobStatus status, int offset, int limit) {
        boolean search = query != null;
        String sql = with(search) + ", page AS (SELECT l.job_id, l.node_id, l.uploaded_at, "
                + (search ? "l.rank, l.in_text" : "0::real AS rank, false AS in_text")
                + from(search, status)
                + " ORDER BY " + (search ? "rank DESC, " : "")
                + "l.uploaded_at DESC NULLS LAST, l.node_id DESC OFFSET :offset LIMIT :limit)"
                + " SELECT t.node_id, t.status, t.progress, t.stage, t.error, t.chunks_total, t.chunks_done,"
                + " t.uploaded_at, t.completed_at, t.duration_seconds, ti.title, left(coalesce(t.content,"
                + " (SELECT string_agg(c.text, ' ' ORDER BY c.chunk_index) FROM (SELECT text, chunk_index FROM "
                + schema + ".chunks WHERE job_id = p.job_id ORDER BY chunk_index LIMIT 3) c)), 400) AS preview, "
                + (search
                        ? "ts_headline('simple', d.doc, query.q, :options) AS headline,"
                                + " left(ltrim(d.doc), " + Snippet.EDGE + ") AS doc_start,"
                                + " right(rtrim(d.doc), " + Snippet.EDGE + ") AS doc_end"
                        : "NULL::text AS headline, NULL::text AS doc_start, NULL::text AS doc_end")
                + " FROM page p JOIN " + schema + ".transcriptions t ON t.job_id = p.job_id"
                + " LEFT JOIN " + schema + ".titles ti ON ti.node_id = p.node_id AND ti.user_id = :user"
                + (search
                        ? " CROSS JOIN query CROSS JOIN LATERAL (SELECT translate(CASE WHEN p.in_text THEN left(t.content, "
                                + SEARCHED_CHARS + ") ELSE ti.title END, chr(2) || chr(3), '  ') AS doc) d"
                        : "")
                + " ORDER BY p.rank DESC, p.uploaded_at DESC NULLS LAST, p.node_id DESC";
        var spec =
                bind(db.sql(sql), userId, query, status).bind("offset", offset).bind("limit", limit);
        if (search) {
            spec = spec.bind("options", Snippet.OPTIONS);
        }
        return spec.map(NodeSearch::summary).all();
    }

    /** How many nodes {@link #page} pages through. */
    public Mono<Long> count(String userId, String query, JobStatus status) {
        String sql = with(query != null) + " SELECT count(*)" + from(query != null, status);
        return bind(db.sql(sql), userId, query, status)
                .map(row -> row.get(0, Long.class))
                .one();
    }

    /**
     * The user's nodes, each with its latest job (a retry is a new job); with a search, those whose
     * title and transcript together have the words. The GIN indexes find the user's transcripts and
     * titles with any of the query's words; only those few are then matched against the whole
     * query (all words, phrases, exclusions) as one document, title and transcript together, and
     * ranked, the title's words weighing more. A query of exclusions alone finds nothing.
     */
    private String with(boolean search) {
        String latest = "WITH latest AS (SELECT DISTINCT ON (node_id) job_id, node_id, status, uploaded_at FROM "
                + schema + ".transcriptions WHERE user_id = :user"
                + " ORDER BY node_id, uploaded_at DESC NULLS LAST, updated_at DESC)";
        if (!search) {
            return latest;
        }
        // Each word of the query as a quoted tsquery lexeme (quote and backslash escaped): any one of them.
        String anyWord = "(SELECT string_agg('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || '''',"
                + " ' | ') FROM unnest(to_tsvector('simple', :q)))::tsquery";
        return latest + ", query AS (SELECT websearch_to_tsquery('simple', :q) AS q, " + anyWord + " AS anyword)"
                + ", text_hits AS (SELECT job_id FROM " + schema
                + ".transcriptions, query WHERE user_id = :user AND search @@ query.anyword)"
                + ", title_hits AS (SELECT node_id FROM " + schema
                + ".titles, query WHERE user_id = :user AND search @@ query.anyword)"
                + ", hits AS (SELECT l.*, ts_rank(d.doc, query.q) AS rank, t.search @@ query.anyword AS in_text"
                + " FROM latest l CROSS JOIN query JOIN " + schema + ".transcriptions t ON t.job_id = l.job_id"
                + " LEFT JOIN " + schema + ".titles ti ON ti.node_id = l.node_id AND ti.user_id = :user"
                + " CROSS JOIN LATERAL (SELECT setweight(coalesce(ti.search, ''::tsvector), 'A')"
                + " || coalesce(t.search, ''::tsvector) AS doc) d"
                + " WHERE (l.job_id IN (SELECT job_id FROM text_hits) OR l.node_id IN (SELECT node_id FROM title_hits))"
                + " AND d.doc @@ query.q)";
    }

    private static String from(boolean search, JobStatus status) {
        return (search ? " FROM hits l WHERE true" : " FROM latest l WHERE true")
                + (status == null ? "" : " AND l.status = :status");
    }

    private static DatabaseClient.GenericExecuteSpec bind(
            DatabaseClient.GenericExecuteSpec spec, String userId, String query, JobStatus status) {
        spec = spec.bind("user", userId);
        if (query != null) {
            spec = spec.bind("q", query);
        }
        return status == null ? spec : spec.bind("status", status.db());
    }

    private static NodeSummary summary(Readable row) {
        return new NodeSummary(
                row.get("node_id", Long.class),
                JobStatus.ofDb(row.get("status", String.class)).api(),
                row.get("progress", Integer.class),
                row.get("stage", String.class),
                row.get("error", String.class),
                row.get("chunks_total", Integer.class),
                row.get("chunks_done", Integer.class),
                row.get("uploaded_at", OffsetDateTime.class),
                row.get("completed_at", OffsetDateTime.class),
                row.get("title", String.class),
                row.get("duration_seconds", Double.class),
                Preview.of(row.get("preview", String.class)),
                Snippet.of(
                        row.get("headline", String.class),
                        row.get("doc_start", String.class),
                        row.get("doc_end", String.class)));
    }
}
