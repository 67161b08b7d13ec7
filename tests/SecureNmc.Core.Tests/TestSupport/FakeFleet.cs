using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Transport;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.TestSupport
{
    /// <summary>Where a test can hold a card's work (to cancel or "kill" the run there).</summary>
    public enum FakeStage
    {
        VersionRead,
        Backup,
        UploadStarted,
        RestartPoll,
    }

    /// <summary>
    /// A card in memory, behaving like the field notes describe: an upload of a package to its root
    /// makes it drop off the network for a few polls, install, and come back with the new versions.
    /// Faults are injected per card. Test double only (tests/), until the simulator's transport lands.
    /// </summary>
    public sealed class FakeCard
    {
        private readonly object _gate = new object();
        private int _sessions;

        public FakeCard(string host, ApplicationType app, string version, string bootloader = "1.5.1.1")
        {
            Host = host;
            ApplicationType = app;
            Version = FirmwareVersion.Parse(version);
            Bootloader = FirmwareVersion.Parse(bootloader);
            Files["config.ini"] = Encoding.ASCII.GetBytes("; Schneider Electric\r\n; Network Management Card AOS v" + version + "\r\n[SystemID]\r\nName=" + host + "\r\n");
            Files["event.txt"] = Encoding.ASCII.GetBytes("Event Log\tv1\r\n0x0001\t11/21/2026\t12:00:00\tSystem: Warmstart.\r\n");
            Files["data.txt"] = Encoding.ASCII.GetBytes("Data Log\tv1\r\n11/21/2026\t12:00:00\t230.0\r\n");
        }

        public string Host { get; }
        public int Port { get; set; } = 22;
        public ApplicationType ApplicationType { get; private set; }
        public FirmwareVersion Version { get; private set; }
        public FirmwareVersion Bootloader { get; private set; }
        public Dictionary<string, byte[]> Files { get; } = new Dictionary<string, byte[]>();

        /// <summary>Every upload the card received: file name and SHA-256 of the bytes.</summary>
        public ConcurrentQueue<(string Name, string Sha256)> Uploads { get; } = new ConcurrentQueue<(string, string)>();

        public int MaxConcurrentSessions;

        /// <summary>Uploads begun (complete or not).</summary>
        public int UploadAttempts;

        // Faults.
        public int FailConnectTimes;
        public bool BadCredentials;
        public bool InsufficientRightsOnUpload;
        public int DropUploadTimes;
        public int RejectPackageTimes;
        public bool NeverDropsAfterUpload;
        public bool NeverReturns;
        public int DownReadsAfterUpload = 3;
        /// <summary>Bootloader the card reports after installing (when the test sets a bundled one).</summary>
        public FirmwareVersion? BootloaderAfterInstall;

        // Install state.
        private int _downReadsLeft;
        private (ApplicationType App, FirmwareVersion Version)? _installing;
        private bool _installingDoesNothing;

        /// <summary>Optional hold points: the test gets Reached when the card gets there, the card waits for Release.</summary>
        public Dictionary<FakeStage, (TaskCompletionSource<bool> Reached, TaskCompletionSource<bool> Release)> Holds { get; } =
            new Dictionary<FakeStage, (TaskCompletionSource<bool>, TaskCompletionSource<bool>)>();

        public (TaskCompletionSource<bool> Reached, TaskCompletionSource<bool> Release) HoldAt(FakeStage stage)
        {
            var h = (new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
            lock (_gate) Holds[stage] = h;
            return h;
        }

        internal async Task PassAsync(FakeStage stage, CancellationToken token)
        {
            (TaskCompletionSource<bool> Reached, TaskCompletionSource<bool> Release) hold;
            lock (_gate)
            {
                if (!Holds.TryGetValue(stage, out hold)) return;
            }
            hold.Reached.TrySetResult(true);
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (token.Register(() => cancelled.TrySetResult(true)))
            {
                await Task.WhenAny(hold.Release.Task, cancelled.Task).ConfigureAwait(false);
            }
            token.ThrowIfCancellationRequested();
        }

        internal void EnterSession()
        {
            lock (_gate)
            {
                _sessions++;
                if (_sessions > MaxConcurrentSessions) MaxConcurrentSessions = _sessions;
            }
        }

        internal void LeaveSession()
        {
            lock (_gate) _sessions--;
        }

        /// <summary>True while the card is down installing; each call counts one unanswered poll.</summary>
        internal bool IsDownForRead()
        {
            lock (_gate)
            {
                if (_installing == null && !_installingDoesNothing) return false;
                if (NeverReturns) return true;
                if (_downReadsLeft > 0)
                {
                    _downReadsLeft--;
                    return true;
                }
                if (_installing != null)
                {
                    ApplicationType = _installing.Value.App;
                    Version = _installing.Value.Version;
                    if (BootloaderAfterInstall.HasValue) Bootloader = BootloaderAfterInstall.Value;
                }
                _installing = null;
                _installingDoesNothing = false;
                return false;
            }
        }

        internal bool IsInstalling { get { lock (_gate) return _installing != null || _installingDoesNothing; } }

        internal void Received(string name, byte[] data)
        {
            using (var sha = SHA256.Create())
                Uploads.Enqueue((name, string.Concat(sha.ComputeHash(data).Select(b => b.ToString("x2")))));
            if (!FirmwarePackageName.TryParse(name, out var package, out _)) return;
            lock (_gate)
            {
                if (NeverDropsAfterUpload) return;
                _downReadsLeft = DownReadsAfterUpload;
                if (RejectPackageTimes > 0)
                {
                    RejectPackageTimes--;
                    _installingDoesNothing = true; // reboots, comes back on the old firmware
                    return;
                }
                _installing = (package!.ApplicationType, package.Version);
            }
        }

        public DeviceVersions Versions() => new DeviceVersions(ApplicationType, Version, Version, Bootloader);

        /// <summary>The inventory identity of this card (stable, like a real inventory's).</summary>
        public Guid Id { get; } = Guid.NewGuid();

        public NmcDevice ToDevice() => new NmcDevice
        {
            Id = Id,
            Host = Host,
            Port = Port,
            Name = Host,
            Model = "AP9641",
            ApplicationType = ApplicationType,
            ApplicationVersion = Version.ToString(),
            AosVersion = Version.ToString(),
            BootloaderVersion = Bootloader.ToString(),
        };
    }

    /// <summary>The fleet: an IFileTransferClient and an IDeviceVersionReader over fake cards.</summary>
    public sealed class FakeFleet : IFileTransferClient, IDeviceVersionReader
    {
        private readonly ConcurrentDictionary<string, FakeCard> _cards = new ConcurrentDictionary<string, FakeCard>(StringComparer.OrdinalIgnoreCase);
        private int _active;

        public int MaxConcurrentCards;
        public TransferProtocol Protocol => TransferProtocol.Scp;

        public FakeCard Add(FakeCard card)
        {
            _cards[card.Host + ":" + card.Port] = card;
            return card;
        }

        public FakeCard this[string host] => _cards.Values.First(c => c.Host == host);
        public IReadOnlyList<FakeCard> Cards => _cards.Values.OrderBy(c => c.Host, StringComparer.Ordinal).ToList();

        public IDeviceSessionFactory Sessions => new TransferClientSessionFactory(_ => this, d => new ConnectionOptions
        {
            Host = d.Host,
            Port = d.Port,
            Credential = new System.Net.NetworkCredential("apc", "not-a-real-password"),
        });

        private FakeCard Find(string host, int port) =>
            _cards.TryGetValue(host + ":" + port, out var c) ? c : throw new FileTransferException(TransferFailureKind.CannotConnect, host, $"No route to {host}:{port}.");

        public async Task<IFileTransferSession> OpenAsync(ConnectionOptions options, CancellationToken cancellationToken)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            var card = Find(options.Host, options.Port);
            Gate(card);
            Track(card, +1);
            return new FakeSession(this, card);
        }

        public async Task<DeviceVersions> ReadAsync(NmcDevice device, CancellationToken cancellationToken)
        {
            await Task.Yield();
            var card = Find(device.Host, device.Port);
            await card.PassAsync(card.IsInstalling ? FakeStage.RestartPoll : FakeStage.VersionRead, cancellationToken).ConfigureAwait(false);
            if (card.IsDownForRead()) throw new FileTransferException(TransferFailureKind.CannotConnect, card.Host, $"{card.Host}: connection refused (restarting).");
            Gate(card);
            Track(card, +1);
            try { return card.Versions(); }
            finally { Track(card, -1); }
        }

        private static void Gate(FakeCard card)
        {
            if (card.IsInstalling && card.IsDownForRead()) throw new FileTransferException(TransferFailureKind.CannotConnect, card.Host, $"{card.Host}: connection refused (restarting).");
            if (card.FailConnectTimes > 0 && Interlocked.Decrement(ref card.FailConnectTimes) >= 0)
                throw new FileTransferException(TransferFailureKind.CannotConnect, card.Host, $"{card.Host}: connection timed out.");
            if (card.BadCredentials)
                throw new FileTransferException(TransferFailureKind.BadCredentials, card.Host, $"{card.Host}: authentication failed.");
        }

        private void Track(FakeCard card, int delta)
        {
            if (delta > 0)
            {
                card.EnterSession();
                var now = Interlocked.Increment(ref _active);
                int seen;
                while (now > (seen = Volatile.Read(ref MaxConcurrentCards)) && Interlocked.CompareExchange(ref MaxConcurrentCards, now, seen) != seen) { }
            }
            else
            {
                card.LeaveSession();
                Interlocked.Decrement(ref _active);
            }
        }

        private sealed class FakeSession : IFileTransferSession
        {
            private readonly FakeFleet _fleet;
            private readonly FakeCard _card;
            private bool _closed;

            public FakeSession(FakeFleet fleet, FakeCard card)
            {
                _fleet = fleet;
                _card = card;
            }

            public string? Banner => null;

            public async Task DownloadAsync(string remoteName, Stream destination, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
            {
                await _card.PassAsync(FakeStage.Backup, cancellationToken).ConfigureAwait(false);
                if (!_card.Files.TryGetValue(remoteName, out var data))
                    throw new FileTransferException(TransferFailureKind.TransferFailed, _card.Host, $"{remoteName}: no such file.");
                await destination.WriteAsync(data, 0, data.Length, cancellationToken).ConfigureAwait(false);
                progress?.Report(new TransferProgress(data.Length, data.Length));
            }

            public async Task UploadAsync(string remoteName, Stream source, long length, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
            {
                if (_card.InsufficientRightsOnUpload)
                    throw new FileTransferException(TransferFailureKind.InsufficientRights, _card.Host, "550 STOR requested action not taken.") { ServerMessage = "550 STOR requested action not taken." };
                await _card.PassAsync(FakeStage.UploadStarted, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _card.UploadAttempts);
                var ms = new MemoryStream();
                var buffer = new byte[4096];
                long sent = 0;
                while (sent < length)
                {
                    var read = await source.ReadAsync(buffer, 0, (int)Math.Min(buffer.Length, length - sent), cancellationToken).ConfigureAwait(false);
                    if (read == 0) break;
                    ms.Write(buffer, 0, read);
                    sent += read;
                    progress?.Report(new TransferProgress(sent, length));
                    if (_card.DropUploadTimes > 0 && sent >= length / 2 && Interlocked.Decrement(ref _card.DropUploadTimes) >= 0)
                        throw new FileTransferException(TransferFailureKind.TransferFailed, _card.Host, $"{_card.Host}: connection reset during upload.");
                }
                _card.Received(remoteName, ms.ToArray());
            }

            public Task CloseAsync(CancellationToken cancellationToken)
            {
                Dispose();
                return Task.CompletedTask;
            }

            public void Dispose()
            {
                if (_closed) return;
                _closed = true;
                _fleet.Track(_card, -1);
            }
        }
    }
}
