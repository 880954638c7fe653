// Ponder's native decode loop for node-llama-cpp's addon (see native/decode-loop/README.md).
//
// `context.generateTokens(sequenceId, firstPosition, tokens, sampler, maxTokens, stopTokens, onToken)`
// decodes `tokens` (the prompt's last batch) into the sequence at `firstPosition`, then samples and
// decodes one token after another on a worker thread until an end-of-generation or stop token,
// `maxTokens`, the end of
// the context or `context.cancelGeneration()`. Each sampled token is posted to `onToken` as it is
// found; JavaScript never sits between two tokens. The promise resolves with every token that was
// decoded into the sequence, in order (so the caller can record what the KV cache holds), every
// token sampled, and why the loop stopped.

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
            ctx->Ref();
            sampler->Ref();
            ctx->generationCancelled.store(false);
        }
        ~AddonContextGenerateTokensWorker() {
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
        std::vector<llama_token> firstTokens;
        std::vector<llama_token> stopTokens;
        std::vector<llama_token> decoded;
        std::vector<llama_token> sampled;
        std::string stopReason = "max-tokens";

        bool decode(const std::vector<llama_token>& tokens) {
            llama_batch batch = llama_batch_init(static_cast<int32_t>(tokens.size()), 0, 1);
            for (size_t i = 0; i < tokens.size(); i++) {
                batch.token[i] = tokens[i];
                batch.pos[i] = position + static_cast<llama_pos>(i);
                batch.n_seq_id[i] = 1;
                batch.seq_id[i][0] = sequenceId;
                batch.logits[i] = i + 1 == tokens.size();
            }
            batch.n_tokens = static_cast<int32_t>(tokens.size());
            const int result = llama_decode(ctx->ctx, batch);
            llama_batch_free(batch);
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
                int32_t generated = 0;
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

                    sampler->rebuildChainIfNeeded();
                    llama_token_data_array candidates;
                    sampler->sample(ctx->ctx, static_cast<int32_t>(next.size()) - 1, candidates, false);
                    if (candidates.size == 0 || candidates.selected < 0 || candidates.selected >= static_cast<int64_t>(candidates.size)) {
                        stopReason = "no-output";
                        break;
                    }
                    const llama_token token = candidates.data[candidates.selected].id;
                    sampler->acceptToken(token);
                    generated += 1;
                    sampled.push_back(token);
                    onToken.NonBlockingCall(new GeneratedToken{token});

                    if (llama_vocab_is_eog(vocab, token) ||
                        std::find(stopTokens.begin(), stopTokens.end(), token) != stopTokens.end()) {
                        stopReason = "stop-token";
                        break;
                    }
                    if (generated >= maxTokens) {
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
