// What the engine knows: the model (from config) and the state (from events).
// Read on the core strand only.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace parley::engine {

// ---- the model: tenants, queues, entry points, agents (from config) ----------

struct QueueModel {
    std::string id;
    std::string name;
};

struct EntryPointModel {
    std::string id;
    std::string name;
    std::string channel;
    std::string number;
    std::string queue;
    std::map<std::string, std::string> cad;
};

struct AgentModel {
    std::string id;
    std::string name;
    std::string password_hash;
    std::vector<std::string> queues;
    std::map<std::string, int> capacity;  // per channel
};

struct TenantModel {
    std::string id;
    std::string name;
    int offer_timeout_s = 30;
    std::vector<std::string> idle_reasons;
    std::map<std::string, QueueModel> queues;
    std::map<std::string, EntryPointModel> entry_points;
    std::map<std::string, AgentModel> agents;

    const AgentModel* agent(const std::string& id) const;
    const QueueModel* queue(const std::string& id) const;
};

struct Model {
    std::map<std::string, TenantModel> tenants;
    // (channel, business number) -> (tenant, entry point id)
    std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>> numbers;

    const TenantModel* tenant(const std::string& id) const;
};

// ---- the state (rebuilt from events) -----------------------------------------

enum class Presence { available, idle, rona, offline };
const char* presence_name(Presence p);

enum class LegState { offered, connected, wrapping, done };
const char* leg_state_name(LegState s);

enum class Role { owner, conferee };

enum class Direction { inbound, outbound };

struct Message {
    std::string id;          // "m-42"
    Direction direction = Direction::inbound;
    std::string author;      // agent id, or "customer"
    std::string text;
    std::int64_t time_ms = 0;
    std::string channel_message_id;
    std::string client_id;   // the agent client's id for the send, to make repeats idempotent
    std::string status;      // inbound: "received"; outbound: pending, sent, delivered, read, failed
    std::string error;       // when failed
    std::string kind = "text";  // text, image, video, audio, document, sticker, location, reply, reaction,
                                // template, unsupported
    std::string attachment;     // JSON object with the kind's details (media url, location...), or empty
    std::string reply_to;       // an agent's reply: the id of the message it answers (quoted by the channel)
};

struct Leg {
    std::string agent;
    LegState state = LegState::offered;
    Role role = Role::owner;
    std::int64_t offered_at = 0;
    std::int64_t expires_at = 0;  // of the offer
    std::int64_t connected_at = 0;
};

struct Interaction {
    std::string id;          // "i-7"
    std::string tenant;
    std::string channel;
    std::string entry_point;
    std::string queue;
    std::string customer_name;
    std::string customer_number;
    std::string origin;      // the business number the customer wrote to
    std::map<std::string, std::string> cad;
    std::int64_t created_at = 0;
    bool ended = false;
    bool interrupted = false;
    std::string interrupted_reason;
    std::vector<Leg> legs;
    std::vector<Message> messages;

    Leg* leg(const std::string& agent);
    const Leg* leg(const std::string& agent) const;
    // A leg that is not done.
    const Leg* live_leg(const std::string& agent) const;
};

struct AgentState {
    std::string tenant;
    std::string id;
    Presence presence = Presence::offline;
    std::string reason;           // of Idle
    std::int64_t since = 0;       // of the current presence
    std::int64_t ready_since = 0; // for longest-available routing
};

class State {
public:
    // Keyed by tenant then id: ids are unique per tenant only for agents.
    std::unordered_map<std::string, Interaction> interactions;  // by interaction id
    std::map<std::pair<std::string, std::string>, AgentState> agents;  // (tenant, agent)
    // Interactions waiting for an agent, in arrival order, per (tenant, queue).
    std::map<std::pair<std::string, std::string>, std::deque<std::string>> waiting;
    // A customer's live interaction: (tenant, channel, origin, customer number) -> id.
    std::map<std::string, std::string> live_by_customer;
    // Every customer message by its channel's id, to drop a channel's repeats even
    // after the conversation ended: customer_key(tenant, channel, "", id) -> interaction.
    std::unordered_map<std::string, std::pair<std::string, std::string>> by_channel_message_id;  // -> (interaction, message)
    std::uint64_t next_interaction = 1;
    std::uint64_t next_message = 1;

    Interaction* find(const std::string& id);
    const Interaction* find(const std::string& id) const;
    AgentState& agent(const std::string& tenant, const std::string& id);
    const AgentState* find_agent(const std::string& tenant, const std::string& id) const;
    // Legs of an agent that hold capacity (offered, connected, wrapping) on a channel.
    int load(const std::string& tenant, const std::string& agent, const std::string& channel) const;

    static std::string customer_key(const std::string& tenant, const std::string& channel,
                                     const std::string& origin, const std::string& customer);

private:
    // (tenant, agent) -> ids of interactions where the agent has a live leg.
    friend struct Applier;
    std::map<std::pair<std::string, std::string>, std::vector<std::string>> work_;

    // (tenant, customer number) -> ids of every interaction with that customer, oldest
    // first: a customer's history without going through every interaction.
    std::map<std::pair<std::string, std::string>, std::vector<std::string>> by_customer_number_;

public:
    const std::vector<std::string>& work_of(const std::string& tenant, const std::string& agent) const;
    const std::vector<std::string>& interactions_of(const std::string& tenant, const std::string& customer_number) const;
};

}  // namespace parley::engine
