// Customer media, fetched on a worker thread with the Graph API's two steps:
// GET /{version}/{media_id} gives a short-lived URL, GET that URL (with the same
// token) gives the bytes, stored under media_dir with a random name.
#pragma once

#include "inbound.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace parley::whatsapp {

inline constexpr std::size_t kMaxMediaBytes = 100 * 1024 * 1024;  // WhatsApp's largest document

struct MediaJob {
    MediaRef media;
    std::string graph_url;  // {base}/{version}
    std::string media_dir;
};

class MediaFetcher {
public:
    using Done = std::function<void(StoredMedia)>;  // runs on the fetcher's thread
    explicit MediaFetcher(std::string access_token);
    ~MediaFetcher();
    MediaFetcher(const MediaFetcher&) = delete;
    MediaFetcher& operator=(const MediaFetcher&) = delete;

    void fetch(MediaJob job, Done done);
    // Stops the thread; queued jobs are dropped with their Done uncalled.
    void stop();

private:
    void run();
    std::string token_;
    std::mutex mutex_;
    std::condition_variable wakeup_;
    std::atomic<bool> stopping_{false};
    std::deque<std::pair<MediaJob, Done>> queue_;
    std::thread thread_;
};

// The two steps, on the calling thread (the fetcher's; tests call it directly).
class HttpClient;
StoredMedia download_media(HttpClient& http, const std::string& token, const MediaJob& job);

}  // namespace parley::whatsapp
