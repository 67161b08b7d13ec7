using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Security;
using SecureNmc.Core.Storage;
using SecureNmc.Simulator.Licensing;

namespace SecureNmc.Core.Tests.Licensing
{
    /// <summary>
    /// A simulated licensing service on loopback with a seeded back end, plus throwaway data folders
    /// and managers configured to trust the service's key. Both sides share one settable clock.
    /// </summary>
    internal sealed class LicensingTestEnvironment : IDisposable
    {
        public const string User = "operator@example.com";
        public const string Password = "correct horse battery staple";

        private readonly List<string> _folders = new List<string>();
        private readonly List<IDisposable> _owned = new List<IDisposable>();

        public LicensingTestEnvironment(DateTime today)
        {
            Clock = SimulatedClock.OnDay(today.Year, today.Month, today.Day);
            Signer = LicenceSigner.CreateNew();
            // Tests move the clock by years; sign-ins should outlive that unless a test says otherwise.
            Database = new EntitlementDatabase { TokenLifetime = TimeSpan.FromDays(3650) };
            Database.AddAccount(User, Password);
            Host = new LicensingServiceHost(Database, Signer, Clock);
        }

        public SimulatedClock Clock { get; }
        public LicenceSigner Signer { get; }
        public EntitlementDatabase Database { get; }
        public LicensingServiceHost Host { get; }
        public CapturingLogger Log { get; } = new CapturingLogger();

        public string NewDataFolder()
        {
            var path = Path.Combine(Path.GetTempPath(), "snmc-lic-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(path);
            _folders.Add(path);
            return path;
        }

        public SubscriptionManager NewManager(string? dataFolder = null, TrustedServiceKey? trustedKey = null, Action<LicensingServiceOptions>? tune = null, Uri? endpoint = null)
        {
            var service = new LicensingServiceOptions
            {
                Endpoint = endpoint ?? Host.Endpoint,
                TrustedKey = trustedKey ?? Signer.PublicKey,
                RequestTimeout = TimeSpan.FromSeconds(20),
                RetryDelay = TimeSpan.FromMilliseconds(10),
                Logger = Log,
            };
            tune?.Invoke(service);
            var root = dataFolder ?? NewDataFolder();
            var manager = new SubscriptionManager(new SubscriptionManagerOptions
            {
                Service = service,
                DataFolder = DataFolder.ForRoot(root),
                SecretProtector = new KeyFileCredentialProtector(DataFolder.ForRoot(root)),
                Clock = Clock,
            });
            _owned.Add(manager);
            return manager;
        }

        public SubscriptionManager SignedInManager(string? dataFolder = null, bool staySignedIn = false)
        {
            var manager = NewManager(dataFolder);
            manager.Account.ConnectAsync(new NetworkCredential(User, Password), staySignedIn, TestTimeout.Token()).GetAwaiter().GetResult();
            return manager;
        }

        public static NmcDevice Device(string serial, ApplicationType type, string mac = "", string? name = null) => new NmcDevice
        {
            Host = (name ?? serial.ToLowerInvariant()) + ".example",
            Name = name ?? "",
            SerialNumber = serial,
            MacAddress = mac,
            ApplicationType = type,
        };

        public void Dispose()
        {
            foreach (var d in _owned) d.Dispose();
            Host.Dispose();
            Signer.Dispose();
            foreach (var f in _folders)
            {
                try { Directory.Delete(f, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }

    internal static class TestTimeout
    {
        public static System.Threading.CancellationToken Token(int seconds = 60) => new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
    }

    /// <summary>Keeps every formatted log line so tests can prove a secret never reached the log.</summary>
    internal sealed class CapturingLogger : ILogger
    {
        public ConcurrentQueue<string> Lines { get; } = new ConcurrentQueue<string>();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception) + (exception != null ? " " + exception : ""));
    }

    /// <summary>Collects progress reports synchronously (no SynchronizationContext, unlike Progress&lt;T&gt;).</summary>
    internal sealed class ProgressRecorder : IProgress<LicensingProgress>
    {
        public ConcurrentQueue<LicensingProgress> Reports { get; } = new ConcurrentQueue<LicensingProgress>();
        public void Report(LicensingProgress value) => Reports.Enqueue(value);
    }
}
