using System;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SecureNmc.Core.Licensing
{
    /// <summary>Where the licensing service is and which key it signs with.</summary>
    public sealed class LicensingServiceOptions
    {
        /// <summary>
        /// Base address of the licensing service, e.g. https://licensing.example.com/snmc/. Plain http is
        /// only accepted for loopback addresses (the simulator), because tokens and passwords travel in it.
        /// </summary>
        public Uri? Endpoint { get; set; }

        /// <summary>The service's public key; records that do not verify with it are rejected.</summary>
        public TrustedServiceKey? TrustedKey { get; set; }

        /// <summary>Longest wait for one HTTP exchange.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Attempts per call when the service is unreachable or answers 502/503/504 (every call is safe to repeat).</summary>
        public int MaxAttempts { get; set; } = 3;

        /// <summary>Pause before the second attempt; doubled for each further attempt.</summary>
        public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

        /// <summary>Cards per check call (at most 500, the contract's limit).</summary>
        public int CardsPerCheckCall { get; set; } = 100;

        /// <summary>Check calls or activations in flight at once.</summary>
        public int MaxConcurrentRequests { get; set; } = 4;

        /// <summary>Never receives tokens or passwords: only account names, counts and card serials.</summary>
        public ILogger Logger { get; set; } = NullLogger.Instance;

        /// <summary>
        /// Options from the two user-facing settings (endpoint URL text, trusted key as base64 of the
        /// uncompressed P-256 point); throws <see cref="ArgumentException"/> naming the setting that is wrong.
        /// </summary>
        public static LicensingServiceOptions Create(string? endpoint, string? trustedKeyBase64, ILogger? logger = null)
        {
            if (string.IsNullOrWhiteSpace(endpoint))
                throw new ArgumentException("No licensing service endpoint is configured (the LicensingEndpoint setting, an https:// address).");
            if (!Uri.TryCreate(endpoint!.Trim(), UriKind.Absolute, out var uri))
                throw new ArgumentException($"The LicensingEndpoint setting '{endpoint}' is not an absolute address such as https://licensing.example.com/snmc/.");
            if (string.IsNullOrWhiteSpace(trustedKeyBase64))
                throw new ArgumentException("No trusted licensing service key is configured (the LicensingServiceKey setting, base64 of the service's P-256 public key).");
            TrustedServiceKey key;
            try { key = TrustedServiceKey.Parse(trustedKeyBase64!); }
            catch (FormatException e) { throw new ArgumentException("The LicensingServiceKey setting is not usable: " + e.Message, e); }
            var options = new LicensingServiceOptions { Endpoint = uri, TrustedKey = key, Logger = logger ?? NullLogger.Instance };
            options.Validate();
            return options;
        }

        /// <summary>Throws naming the setting when something is missing or unsafe.</summary>
        public void Validate()
        {
            if (Endpoint == null || !Endpoint.IsAbsoluteUri)
                throw new ArgumentException("The licensing service endpoint is not set (an absolute https:// address).");
            if (Endpoint.Scheme != Uri.UriSchemeHttps && !(Endpoint.Scheme == Uri.UriSchemeHttp && Endpoint.IsLoopback))
                throw new ArgumentException($"The licensing service endpoint {Endpoint} must use https (plain http is only allowed for a loopback address such as the simulator).");
            if (TrustedKey == null)
                throw new ArgumentException("No trusted licensing service key is configured, so no licence could be verified.");
            if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentException("RequestTimeout must be positive.");
            if (MaxAttempts < 1) throw new ArgumentException("MaxAttempts must be at least 1.");
            if (CardsPerCheckCall < 1 || CardsPerCheckCall > Contract.LicensingContract.MaxCardsPerCall)
                throw new ArgumentException($"CardsPerCheckCall must be 1 to {Contract.LicensingContract.MaxCardsPerCall}.");
            if (MaxConcurrentRequests < 1) throw new ArgumentException("MaxConcurrentRequests must be at least 1.");
        }

        /// <summary>The endpoint with a trailing '/', so relative contract paths append to it.</summary>
        internal Uri BaseAddress
        {
            get
            {
                var text = Endpoint!.AbsoluteUri;
                return new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/");
            }
        }
    }

    /// <summary>The time the client judges subscriptions by; tests and rehearsals inject their own.</summary>
    public interface ILicensingClock
    {
        DateTimeOffset UtcNow { get; }
    }

    public sealed class SystemLicensingClock : ILicensingClock
    {
        public static readonly SystemLicensingClock Instance = new SystemLicensingClock();
        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
    }
}
