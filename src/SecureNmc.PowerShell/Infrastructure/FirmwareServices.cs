using System;
using System.IO;
using System.Net;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Firmware.Catalog;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Licensing.Sessions;
using SecureNmc.Core.Query;
using SecureNmc.Core.Security;
using SecureNmc.Core.Settings;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Transport;
using SecureNmc.Core.Updates;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// Wires Core's firmware library, planner and update engine from the data folder and the
    /// settings, the way every firmware cmdlet needs them. No logic of its own beyond choosing
    /// which Core object to build.
    /// </summary>
    internal sealed class FirmwareServices
    {
        private readonly ModuleServices _services;
        private readonly ILoggerFactory _loggers;
        private readonly Lazy<NmcSettings> _settings;

        public FirmwareServices(ModuleServices services, ILoggerFactory loggers)
        {
            _services = services;
            _loggers = loggers;
            _settings = new Lazy<NmcSettings>(() => services.Settings.Load());
        }

        public NmcSettings Settings => _settings.Value;

        public string JournalPath => Path.Combine(_services.DataFolder.JournalFolder, "updates.jsonl");

        /// <summary>The cache in the data folder; with the catalog service when FirmwareCatalogUrl is set.</summary>
        public FirmwareLibrary CreateLibrary()
        {
            var url = Settings.FirmwareCatalogUrl;
            FirmwareCatalogClient? client = null;
            if (!string.IsNullOrEmpty(url)) client = new FirmwareCatalogClient(new Uri(url!, UriKind.Absolute));
            return new FirmwareLibrary(_services.DataFolder.FirmwareCacheFolder, client, _loggers.CreateLogger("SecureNmc.Firmware"));
        }

        /// <summary>
        /// The planner with the subscription gate built from the verified licence store (issue 6).
        /// A card may only receive Secure NMC firmware while it holds an active subscription of its
        /// family, so without a configured, trusted licensing service key no card is eligible: each
        /// plan says "Activate Subscription to Update" and names the setting to set. Editing the
        /// settings or the inventory therefore cannot switch the gate off.
        /// </summary>
        public UpdatePlanner CreatePlanner(FirmwareLibrary library, out string? gateNote)
        {
            gateNote = string.IsNullOrWhiteSpace(Settings.LicensingServiceKey)
                ? "No licensing service key is configured (Set-NmcSetting -LicensingServiceKey), so no subscription can be verified and no card is eligible for update. Rehearse with Start-NmcLicensingSimulator; Connect-NmcAccount; Enable-NmcSubscription."
                : null;
            return LicensingSessions.CreatePlanner(library.GetCatalog(), Settings, _services.DataFolder);
        }

        public UpdatePlanOptions PlanOptions() => new UpdatePlanOptions { BackupBeforeUpdate = Settings.BackupBeforeUpdate };

        /// <summary>
        /// The engine with the real transports (SCP over SSH, FTP), the inventory's stored credentials
        /// and host-key settings, the device query as version reader, and the journal in the data folder.
        /// </summary>
        public FirmwareUpdateEngine CreateEngine(FirmwareLibrary library, int throttleLimit)
        {
            var dataFolder = _services.DataFolder;
            PhysicalFileOperations.CreateOwnerOnlyDirectory(dataFolder.JournalFolder);
            var protector = _services.CredentialProtector;
            var protectorLock = new object();
            NetworkCredential? CredentialFor(NmcDevice device)
            {
                // Called on worker threads: one decryption at a time keeps the protector's state simple.
                lock (protectorLock) return protector.GetCredential(device);
            }

            var scp = new ScpFileTransferClient();
            var ftp = new FtpFileTransferClient();
            var transportLogger = _loggers.CreateLogger("SecureNmc.Transport");
            var query = new DeviceQueryService(new IFileTransferClient[] { scp, ftp }, new DeviceQueryOptions
            {
                KnownHostsPath = dataFolder.KnownHostsFile,
                MaxConcurrency = throttleLimit,
                // event.txt carries the card's Coldstart event: the only sign that a card which reboots
                // faster than the first poll, on the same version (a reinstall), did restart.
                ReadEventLog = true,
                ReadDataLog = false,
                // A restarting card does not answer, by design: the engine logs each failed poll as a
                // verbose line and reports what needs attention itself, so the query's own line is debug.
                FailureLogLevel = LogLevel.Debug,
                Logger = _loggers.CreateLogger("SecureNmc.Query"),
            }.ApplyTimeouts(Settings));
            var sessions = new TransferClientSessionFactory(
                device => device.Protocol == TransferProtocol.Ftp ? (IFileTransferClient)ftp : scp,
                device => new ConnectionOptions
                {
                    Host = device.Host,
                    Port = device.Port,
                    // A card without a stored credential fails at login with the transport's own
                    // "refused the user name or password" reason; the version reader says "No credential is stored" first.
                    Credential = CredentialFor(device) ?? new NetworkCredential(),
                    Logger = transportLogger,
                    Ssh = new SshClientOptions
                    {
                        HostKeyPolicy = HostKeyPolicy.TrustOnFirstUse,
                        KnownHostsPath = dataFolder.KnownHostsFile,
                        PinnedFingerprint = device.PinnedHostKeyFingerprint,
                        AllowLegacyAlgorithms = device.AllowLegacySsh,
                    },
                }.ApplyTimeouts(Settings));
            // FromSettings: attempts and the restart wait (RestartTimeoutSeconds, RestartPollSeconds).
            var options = UpdateEngineOptions.FromSettings(Settings);
            options.ThrottleLimit = throttleLimit;
            options.BackupFolder = dataFolder.BackupFolder;
            options.JournalPath = JournalPath;
            options.Logger = _loggers.CreateLogger("SecureNmc.Updates");
            return new FirmwareUpdateEngine(sessions, new DeviceQueryVersionReader(query, CredentialFor), library, options);
        }
    }
}
