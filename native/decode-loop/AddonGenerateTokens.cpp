// Ponder's native decode loop for node-llama-cpp's addon (see native/decode-loop/README.md).
//
// `context.generateTokens(sequenceId, firstPosition, tokens, sampler, maxTokens, stopTokens, onToken,
// onDevice)` decodes `tokens` (the prompt's last batch) into the sequence at `firstPosition`, then
// samples and decodes one token after another on a worker thread until an end-of-generation or stop
// token, `maxTokens`, the end of the context or `context.cancelGeneration()`. Each sampled token is
// posted to `onToken` as it is found; JavaScript never sits between two tokens. The promise
// resolves with every token that was decoded into the sequence, in order (so the caller can record
// what the KV cache holds), every token sampled, why the loop stopped, and whether the top-k was
// picked on the device. With `onDevice`, the common case's top-k (or greedy's best token) is chosen
// by llama.cpp's backend sampling on the device that computed the logits, so only k logits come
// back to the host instead of the whole vocabulary's; that top-k stays attached to the context
// between answers until `context.releaseTopKOnDevice()`.

#include <algorithm>
#include <atomic>
#include <string>
#include <vector>

#include "llama.h"
#include "napi.h"

#include "addonGlobals.h"
#include "AddonContext.h"
#include "AddonSampler.h"

namespace {

struct GeneratedToken {
    llama_token token;
};

void callOnToken(Napi::Env env, Napi::Function onToken, std::nullptr_t*, GeneratedToken* data) {
    if (env != nullptr && onToken != nullptr) {
        onToken.Call({Napi::Number::New(env, static_cast<uint32_t>(data->token))});
    }
    delete data;
}

using OnTokenFunction = Napi::TypedThreadSafeFunction<std::nullptr_t, GeneratedToken, callOnToken>;

// The largest top-k taken straight from the logits; llama.cpp partially sorts up to this size too.
constexpr int32_t MAX_DIRECT_TOP_K = 128;

// Candidates taken straight from the logits in the common case (no grammar, token bias, penalties
// or XTC): the best token for greedy sampling, or the k best, best first, for a chain that starts
// with top-k. That is exactly what the chain's first stage would keep, without writing a candidate
// for every token of the vocabulary (152k for Qwen) and partially sorting them, which is most of
// the CPU's work between two decodes. Returns false when the case is not the common one.
// Equal logits: the lower token first, as llama.cpp's greedy sampler and a stable sort keep them.
bool betterCandidate(const llama_token_data& a, const llama_token_data& b) {
    return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
}

bool commonCase(AddonSampler* sampler) {
    return sampler->grammarEvaluationState == nullptr && sampler->tokenBiasSampler == nullptr &&
        sampler->repeatPenaltySampler == nullptr && sampler->dryRepeatPenaltySampler == nullptr &&
        sampler->xtcSampler == nullptr;
}

// How many of the best tokens the common case keeps: 1 for greedy, k for a chain that starts with
// top-k; 0 when the case is not the common one.
int32_t keptCount(AddonSampler* sampler, int32_t vocabSize) {
    if (!commonCase(sampler)) return 0;
    if (sampler->greedySampler != nullptr) return 1;
    if (sampler->topKSampler != nullptr && sampler->topKSampler_topK > 0 &&
        sampler->topKSampler_topK <= MAX_DIRECT_TOP_K) {
        return std::min(sampler->topKSampler_topK, vocabSize);
    }
    return 0;
}

void useKept(std::vector<llama_token_data>& kept, llama_token_data_array& candidates) {
    candidates.data = kept.data();
    candidates.size = kept.size();
    candidates.selected = -1;
    candidates.sorted = true;
}

// llama.cpp's backend sampling: a chain of one top-k stage attached to the sequence, so the graph
// that computes the logits also picks the k best on the same device and only those are copied to
// the host. Attaching or detaching one makes llama.cpp re-plan its compute graph (milliseconds on
// a GPU), so it stays attached from one answer to the next while k stays the same. It must be
// detached before anything else samples on the context, since llama.cpp stops copying the raw
// logits of a sequence that has one: before a loop that samples on the host, before
// node-llama-cpp's own sampling (`releaseTopKOnDevice()`), and before the context is freed.
bool attachTopKOnDevice(AddonContext* ctx, int32_t sequenceId, int32_t k) {
    if (ctx->topKOnDeviceUnsupported) return false;
    if (ctx->topKOnDevice != nullptr && ctx->topKOnDeviceSequence == sequenceId &&
        ctx->topKOnDeviceCount == k) {
        return true;
    }
    ctx->detachTopKOnDevice(ctx->ctx);
    llama_sampler* chain = llama_sampler_chain_init(llama_sampler_chain_default_params());
    llama_sampler_chain_add(chain, llama_sampler_init_top_k(k));
    if (!llama_set_sampler(ctx->ctx, sequenceId, chain)) {
        llama_sampler_free(chain);
        return false;
    }
    ctx->topKOnDevice = chain;
    ctx->topKOnDeviceSequence = sequenceId;
    ctx->topKOnDeviceCount = k;
    return true;
}

// The k best from the last decode, best first. False when llama.cpp returned none.
bool candidatesFromDevice(llama_context* context, int32_t index, std::vector<llama_token_data>& kept,
                          llama_token_data_array& candidates) {
    const float* logits = llama_get_sampled_logits_ith(context, index);
    const llama_token* ids = llama_get_sampled_candidates_ith(context, index);
    const uint32_t count = llama_get_sampled_logits_count_ith(context, index);
    if (logits == nullptr || ids == nullptr || count == 0 ||
        llama_get_sampled_candidates_count_ith(context, index) != count) {
        return false;
    }
    kept.resize(count);
    for (uint32_t i = 0; i < count; i++) kept[i] = llama_token_data{ids[i], logits[i], 0.0f};
    std::sort(kept.begin(), kept.end(), betterCandidate);
    useKept(kept, candidates);
    return true;
}

bool directCandidates(AddonSampler* sampler, llama_context* context, int32_t index,
                      const llama_vocab* vocab, std::vector<llama_token_data>& kept,
                      llama_token_data_array& candidates) {
    const int32_t vocabSize = llama_vocab_n_tokens(vocab);
    const int32_t keep = keptCount(sampler, vocabSize);
    if (keep == 0) return false;
    if (llama_get_sampled_probs_ith(context, index) != nullptr ||
        llama_get_sampled_logits_ith(context, index) != nullptr) {
        return false;
    }
    const float* logits = llama_get_logits_ith(context, index);
    if (logits == nullptr) return false;

    // A heap of the k best so far with the worst of them on top: most tokens are rejected by one
    // comparison.
    const size_t k = static_cast<size_t>(keep);
    kept.clear();
    for (int32_t token = 0; token < vocabSize; token++) {
        const llama_token_data candidate{token, logits[token], 0.0f};
        if (kept.size() < k) {
            kept.push_back(candidate);
            std::push_heap(kept.begin(), kept.end(), betterCandidate);
        } else if (betterCandidate(candidate, kept.front())) {
            std::pop_heap(kept.begin(), kept.end(), betterCandidate);
            kept.back() = candidate;
            std::push_heap(kept.begin(), kept.end(), betterCandidate);
        }
    }
    std::sort_heap(kept.begin(), kept.end(), betterCandidate);
    useKept(kept, candidates);
    return true;
}

class AddonContextGenerateTokensWorker : public Napi::AsyncWorker {
    public:
        AddonContextGenerateTokensWorker(const Napi::CallbackInfo& info, AddonContext* ctx)
            : Napi::AsyncWorker(info.Env(), "AddonContextGenerateTokensWorker"),
              ctx(ctx),
              deferred(Napi::Promise::Deferred::New(info.Env())) {
            sequenceId = info[0].As<Napi::Number>().Int32Value();
            position = info[1].As<Napi::Number>().Int32Value();
            Napi::Uint32Array input = info[2].As<Napi::Uint32Array>();
            firstTokens.assign(input.Data(), input.Data() + input.ElementLength());
            sampler = Napi::ObjectWrap<AddonSampler>::Unwrap(info[3].As<Napi::Object>());
            maxTokens = info[4].As<Napi::Number>().Int32Value();
            Napi::Uint32Array stops = info[5].As<Napi::Uint32Array>();
            stopTokens.assign(stops.Data(), stops.Data() + stops.ElementLength());
            onToken = OnTokenFunction::New(info.Env(), info[6].As<Napi::Function>(), "ponderOnToken", 0, 1);
            onDevice = info.Length() > 7 && info[7].IsBoolean() && info[7].As<Napi::Boolean>().Value();
            ctx->Ref();
            sampler->Ref();
            ctx->generationCancelled.store(false);
        }
        ~AddonContextGenerateTokensWorker() {
            if (batch.token != nullptr) llama_batch_free(batch);
            ctx->Unref();
            sampler->Unref();
        }

        Napi::Promise GetPromise() {
            return deferred.Promise();
        }

    protected:
        AddonContext* ctx;
        AddonSampler* sampler;
        Napi::Promise::Deferred deferred;
        OnTokenFunction onToken;
        int32_t sequenceId = 0;
        int32_t position = 0;
        int32_t maxTokens = 0;
        bool onDevice = false;
        // Whether the top-k is picked on the device: decided when the loop starts, and false from
        // the token where the device turned out unable to.
        bool topKOnDevice = false;
        std::vector<llama_token> firstTokens;
        std::vector<llama_token> stopTokens;
        std::vector<llama_token> decoded;
        std::vector<llama_token> sampled;
        std::string stopReason = "max-tokens";
        // One batch for the whole loop, sized for the prompt's last batch; later decodes use one slot.
        llama_batch batch{};

        bool decode(const std::vector<llama_token>& tokens) {
            for (size_t i = 0; i < tokens.size(); i++) {
                batch.token[i] = tokens[i];
                batch.pos[i] = position + static_cast<llama_pos>(i);
                batch.n_seq_id[i] = 1;
                batch.seq_id[i][0] = sequenceId;
                batch.logits[i] = i + 1 == tokens.size();
            }
            batch.n_tokens = static_cast<int32_t>(tokens.size());
            const int result = llama_decode(ctx->ctx, batch);
            if (result != 0) {
                SetError(result == 1
                    ? "could not find a KV slot for the batch (try reducing the size of the batch or increase the context)"
                    : "Eval has failed");
                return false;
            }
            position += static_cast<int32_t>(tokens.size());
            decoded.insert(decoded.end(), tokens.begin(), tokens.end());
            return true;
        }

        void Execute() {
            try {
                if (ctx->disposed || ctx->ctx == nullptr) {
                    SetError("Context is disposed");
                    return;
                }
                if (llama_get_logits(ctx->ctx) == nullptr) {
                    SetError("This model does not support token generation");
                    return;
                }
                const int32_t contextSize = static_cast<int32_t>(llama_n_ctx(ctx->ctx));
                const llama_vocab* vocab = llama_model_get_vocab(llama_get_model(ctx->ctx));
                std::vector<llama_token> next = firstTokens;
                std::vector<llama_token_data> kept;
                batch = llama_batch_init(static_cast<int32_t>(std::max<size_t>(next.size(), 1)), 0, 1);
                // The sampler's settings cannot change while the loop runs: its chain is built once.
                sampler->rebuildChainIfNeeded();
                const int32_t deviceK = onDevice ? keptCount(sampler, llama_vocab_n_tokens(vocab)) : 0;
                topKOnDevice = deviceK > 0 && attachTopKOnDevice(ctx, sequenceId, deviceK);
                if (!topKOnDevice) ctx->detachTopKOnDevice(ctx->ctx);
                while (true) {
                    if (ctx->generationCancelled.load()) {
                        stopReason = "cancelled";
                        break;
                    }
                    if (position + static_cast<int32_t>(next.size()) > contextSize) {
                        stopReason = "context";
                        break;
                    }
                    if (!decode(next)) return;

                    llama_token_data_array candidates;
                    const int32_t logitIndex = static_cast<int32_t>(next.size()) - 1;
                    if (topKOnDevice && candidatesFromDevice(ctx->ctx, logitIndex, kept, candidates)) {
                        llama_sampler_apply(sampler->chain, &candidates);
                    } else if (topKOnDevice) {
                        // llama.cpp accepts the sampler even where the device cannot run top-k; it
                        // then hands back the whole vocabulary's logits as the sampled ones, which
                        // node-llama-cpp's sampler reads. This context samples on the host from now on.
                        sampler->sample(ctx->ctx, logitIndex, candidates, false);
                        ctx->topKOnDeviceUnsupported = true;
                        ctx->detachTopKOnDevice(ctx->ctx);
                        topKOnDevice = false;
                    } else if (directCandidates(sampler, ctx->ctx, logitIndex, vocab, kept, candidates)) {
                        llama_sampler_apply(sampler->chain, &candidates);
                    } else {
                        sampler->sample(ctx->ctx, logitIndex, candidates, false);
                    }
                    if (candidates.size == 0 || candidates.selected < 0 || candidates.selected >= static_cast<int64_t>(candidates.size)) {
                        stopReason = "no-output";
                        break;
                    }
                    const llama_token token = candidates.data[candidates.selected].id;
                    sampler->acceptToken(token);
                    sampled.push_back(token);
                    onToken.NonBlockingCall(new GeneratedToken{token});

                    if (llama_vocab_is_eog(vocab, token) ||
                        std::find(stopTokens.begin(), stopTokens.end(), token) != stopTokens.end()) {
                        stopReason = "stop-token";
                        break;
                    }
                    if (static_cast<int32_t>(sampled.size()) >= maxTokens) {
                        stopReason = "max-tokens";
                        break;
                    }
                    next.assign(1, token);
                }
            } catch (const std::exception& e) {
                SetError(e.what());
            } catch (...) {
                SetError("Unknown error in the native decode loop");
            }
        }

        void OnOK() {
            onToken.Release();
            Napi::Env env = Env();
            Napi::Object result = Napi::Object::New(env);
            Napi::Uint32Array tokens = Napi::Uint32Array::New(env, decoded.size());
            for (size_t i = 0; i < decoded.size(); i++) tokens[i] = static_cast<uint32_t>(decoded[i]);
            result.Set("decoded", tokens);
            // Posted tokens may still be queued for onToken when this resolves: the caller takes
            // any it has not seen from here.
            Napi::Uint32Array generatedTokens = Napi::Uint32Array::New(env, sampled.size());
            for (size_t i = 0; i < sampled.size(); i++) generatedTokens[i] = static_cast<uint32_t>(sampled[i]);
            result.Set("generated", generatedTokens);
            result.Set("stopReason", Napi::String::New(env, stopReason));
            result.Set("topKOnDevice", Napi::Boolean::New(env, topKOnDevice));
            deferred.Resolve(result);
        }

        void OnError(const Napi::Error& err) {
            onToken.Release();
            deferred.Reject(err.Value());
        }
};

}  // namespace

Napi::Value AddonContext::GenerateTokens(const Napi::CallbackInfo& info) {
    if (disposed) {
        Napi::Error::New(info.Env(), "Context is disposed").ThrowAsJavaScriptException();
        return info.Env().Undefined();
    }
    auto* worker = new AddonContextGenerateTokensWorker(info, this);
    worker->Queue();
    return worker->GetPromise();
}

Napi::Value AddonContext::CancelGeneration(const Napi::CallbackInfo& info) {
    generationCancelled.store(true);
    return info.Env().Undefined();
}

void AddonContext::detachTopKOnDevice(llama_context* context) {
    if (topKOnDevice == nullptr) return;
    if (context != nullptr) llama_set_sampler(context, topKOnDeviceSequence, nullptr);
    llama_sampler_free(topKOnDevice);
    topKOnDevice = nullptr;
    topKOnDeviceSequence = -1;
    topKOnDeviceCount = 0;
}

Napi::Value AddonContext::ReleaseTopKOnDevice(const Napi::CallbackInfo& info) {
    if (!disposed) detachTopKOnDevice(ctx);
    return info.Env().Undefined();
}
