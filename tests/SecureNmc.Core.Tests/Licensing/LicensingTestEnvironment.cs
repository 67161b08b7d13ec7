using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;
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
            var manager = new SubscriptionManager(new SubscriptionManagerOptions
            {
                Service = service,
                DataFolder = dataFolder ?? NewDataFolder(),
                SecretProtector = new TestSecretProtector(),
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

    /// <summary>
    /// Stand-in for the inventory's credential protection in tests: AES-256-CBC + HMAC-SHA256 with a
    /// per-process random key (real encryption, so the at-rest scan proves something).
    /// </summary>
    internal sealed class TestSecretProtector : ILicensingSecretProtector
    {
        private static readonly byte[] EncryptionKey = RandomBytes(32);
        private static readonly byte[] MacKey = RandomBytes(32);

        public byte[] Protect(byte[] plaintext)
        {
            using (var aes = Aes.Create())
            {
                aes.Key = EncryptionKey;
                aes.GenerateIV();
                byte[] cipher;
                using (var enc = aes.CreateEncryptor()) cipher = enc.TransformFinalBlock(plaintext, 0, plaintext.Length);
                var body = new byte[16 + cipher.Length];
                Buffer.BlockCopy(aes.IV, 0, body, 0, 16);
                Buffer.BlockCopy(cipher, 0, body, 16, cipher.Length);
                byte[] tag;
                using (var hmac = new HMACSHA256(MacKey)) tag = hmac.ComputeHash(body);
                var result = new byte[body.Length + 32];
                Buffer.BlockCopy(body, 0, result, 0, body.Length);
                Buffer.BlockCopy(tag, 0, result, body.Length, 32);
                return result;
            }
        }

        public byte[] Unprotect(byte[] data)
        {
            if (data.Length < 16 + 16 + 32) throw new CryptographicException("too short");
            var body = new byte[data.Length - 32];
            Buffer.BlockCopy(data, 0, body, 0, body.Length);
            using (var hmac = new HMACSHA256(MacKey))
            {
                var tag = hmac.ComputeHash(body);
                for (int i = 0; i < 32; i++) if (tag[i] != data[body.Length + i]) throw new CryptographicException("altered");
            }
            using (var aes = Aes.Create())
            {
                aes.Key = EncryptionKey;
                var iv = new byte[16];
                Buffer.BlockCopy(body, 0, iv, 0, 16);
                aes.IV = iv;
                using (var dec = aes.CreateDecryptor()) return dec.TransformFinalBlock(body, 16, body.Length - 16);
            }
        }

        private static byte[] RandomBytes(int n)
        {
            var b = new byte[n];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(b);
            return b;
        }
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
