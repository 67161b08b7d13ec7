using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Security;
using SecureNmc.Core.Settings;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Licensing.Sessions
{
    /// <summary>
    /// How the module gets its licensing engine and its update gate from the user's settings. One
    /// <see cref="SubscriptionManager"/> is kept per data folder, endpoint and trusted key for the life of
    /// the process, because it holds the in-memory sign-in: <c>Connect-NmcAccount</c> in one command and
    /// <c>Get-NmcSubscription</c> in the next must meet the same manager. Changing either setting gives a
    /// fresh manager (a token is never sent to another endpoint). The update commands build their planner
    /// with <see cref="CreatePlanner"/>, so the "Activate Subscription to Update" gate always reads the
    /// verified licence store, and fails closed when no trusted key is configured.
    /// </summary>
    public static class LicensingSessions
    {
        private static readonly object Gate = new object();
        private static readonly Dictionary<string, SubscriptionManager> Managers = new Dictionary<string, SubscriptionManager>(StringComparer.Ordinal);

        /// <summary>
        /// The session's manager for these settings (created on first use). Throws <see cref="ArgumentException"/>
        /// naming the setting to fix when the endpoint or key is missing or unusable.
        /// </summary>
        public static SubscriptionManager GetManager(NmcSettings settings, DataFolder dataFolder, ICredentialProtector protector, ILicensingClock? clock = null)
        {
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            if (dataFolder == null) throw new ArgumentNullException(nameof(dataFolder));
            if (protector == null) throw new ArgumentNullException(nameof(protector));
            var service = LicensingServiceOptions.Create(settings.LicensingEndpoint, settings.LicensingServiceKey, RoutedLogger.Instance);
            var key = KeyOf(dataFolder, service.Endpoint!, service.TrustedKey!, clock);
            lock (Gate)
            {
                if (Managers.TryGetValue(key, out var existing)) return existing;
                var manager = new SubscriptionManager(new SubscriptionManagerOptions
                {
                    Service = service,
                    DataFolder = dataFolder,
                    SecretProtector = protector,
                    Clock = clock ?? SystemLicensingClock.Instance,
                });
                Managers[key] = manager;
                return manager;
            }
        }

        /// <summary>
        /// The update planner's subscription gate for these settings: verified licences in the data folder,
        /// judged by <paramref name="clock"/> (default: real time). Needs only the trusted key, not the
        /// endpoint or a sign-in, so it works on an air-gapped machine. With no usable key configured,
        /// every card is refused with a reason saying which setting to set.
        /// </summary>
        public static ISubscriptionGate CreateGate(NmcSettings settings, DataFolder dataFolder, ILicensingClock? clock = null)
        {
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            if (dataFolder == null) throw new ArgumentNullException(nameof(dataFolder));
            TrustedServiceKey key;
            if (string.IsNullOrWhiteSpace(settings.LicensingServiceKey))
                return new UnverifiableSubscriptionGate("no trusted licensing service key is configured, so no licence can be verified. Set it with Set-NmcSetting -LicensingServiceKey (the key the licensing service publishes), then run Get-NmcSubscription");
            try { key = TrustedServiceKey.Parse(settings.LicensingServiceKey!); }
            catch (FormatException e) { return new UnverifiableSubscriptionGate("the LicensingServiceKey setting is not usable (" + e.Message + ")"); }
            var store = new LicenceStore(new LicensingDataFolder(dataFolder).LicenceStorePath, key);
            return new SubscriptionGate(store, clock);
        }

        /// <summary>The planner the update commands use: the firmware catalog plus the subscription gate of <see cref="CreateGate"/>.</summary>
        public static UpdatePlanner CreatePlanner(FirmwareCatalog catalog, NmcSettings settings, DataFolder dataFolder, ILicensingClock? clock = null) =>
            new UpdatePlanner(catalog, CreateGate(settings, dataFolder, clock));

        /// <summary>
        /// Disposes and forgets the managers talking to <paramref name="endpoint"/> (a stopped simulator): the
        /// next command builds a new one. In-memory sign-ins to it end; a stored stay-signed-in token stays on disk.
        /// </summary>
        public static int Forget(Uri endpoint)
        {
            if (endpoint == null) throw new ArgumentNullException(nameof(endpoint));
            var prefix = "|" + Normalize(endpoint) + "|";
            List<SubscriptionManager> removed;
            lock (Gate)
            {
                var keys = Managers.Keys.Where(k => k.IndexOf(prefix, StringComparison.Ordinal) >= 0).ToList();
                removed = keys.Select(k => Managers[k]).ToList();
                foreach (var k in keys) Managers.Remove(k);
            }
            foreach (var manager in removed) manager.Dispose();
            return removed.Count;
        }

        private static string KeyOf(DataFolder dataFolder, Uri endpoint, TrustedServiceKey key, ILicensingClock? clock) =>
            Path.GetFullPath(dataFolder.Root) + "|" + Normalize(endpoint) + "|" + key.KeyId + "|" +
            (clock == null ? "system" : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(clock).ToString(System.Globalization.CultureInfo.InvariantCulture));

        private static string Normalize(Uri endpoint)
        {
            var text = endpoint.AbsoluteUri;
            return text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/";
        }
    }

    /// <summary>A gate that refuses every card because licences cannot be verified at all (no trusted key).</summary>
    internal sealed class UnverifiableSubscriptionGate : ISubscriptionGate
    {
        private readonly string _reason;

        public UnverifiableSubscriptionGate(string reason) => _reason = reason;

        public SubscriptionCheck Check(Devices.NmcDevice device) => SubscriptionCheck.Inactive(_reason);
    }
}
