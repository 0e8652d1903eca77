// Media downloads, in Meta's two steps: GET /sandbox/graph/{version}/{media-id} answers
// the media's URL and digest (one route per uploaded id, registered at upload), then
// GET of that URL, /sandbox/media?mid={media-id} (one route, the id in the query like
// Meta's lookaside URLs), answers the bytes. Both need the bearer token.
#include "graph_errors.hpp"
#include "http_util.hpp"
#include "ids.hpp"
#include "impl.hpp"

namespace parley::whatsapp::standin {

namespace {

constexpr std::string_view kMediaPath = "/sandbox/media";

parley::HttpResponse unauthorized() {
    GraphAnswer a = invalid_token(new_fbtrace_id());
    return {a.status, "application/json", a.body};
}

parley::HttpResponse media_url(Impl& impl, const parley::HttpRequest& request, const std::string& id) {
    if (!has_bearer(request, kAccessToken)) return unauthorized();
    const Media* media = impl.media.find(id);
    if (!media) return plain_error(404, "no media " + id);
    std::string url = impl.host.server_url() + std::string(kMediaPath) + "?mid=" + id;
    return json_answer(200, media_url_answer(*media, url));
}

parley::HttpResponse media_bytes(Impl& impl, const parley::HttpRequest& request) {
    if (!has_bearer(request, kAccessToken)) return unauthorized();
    auto id = query_param(request.query, "mid");
    const Media* media = id ? impl.media.find(*id) : nullptr;
    if (!media) return plain_error(404, "no such media");
    return {200, media->mime_type, media->bytes};
}

}  // namespace

void add_media_routes(Impl& impl) { add_route(impl, "GET", kMediaPath, &media_bytes); }

void add_media_id_route(Impl& impl, const std::string& media_id) {
    std::string path = std::string(kGraphPath) + "/" + impl.options.api_version + "/" + media_id;
    add_route(impl, "GET", path, [media_id](Impl& i, const parley::HttpRequest& r) { return media_url(i, r, media_id); });
}

}  // namespace parley::whatsapp::standin
