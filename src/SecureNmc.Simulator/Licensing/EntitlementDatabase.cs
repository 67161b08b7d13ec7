using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;

namespace SecureNmc.Simulator.Licensing
{
    /// <summary>
    /// The simulated vendor back end: accounts, sign-in tokens, purchased Activation IDs (with their SKU),
    /// registered cards (with purchase date, so the included subscription can be found), and every licence
    /// record issued. Seed it before tests; thread-safe.
    /// </summary>
    public sealed class EntitlementDatabase
    {
        private readonly object _gate = new object();
        private readonly Dictionary<string, (byte[] Salt, byte[] Hash)> _accounts = new Dictionary<string, (byte[], byte[])>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, (string Account, DateTimeOffset ExpiresAt)> _tokensByHash = new Dictionary<string, (string, DateTimeOffset)>(StringComparer.Ordinal);
        private readonly Dictionary<string, ActivationIdEntry> _activationIds = new Dictionary<string, ActivationIdEntry>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, RegisteredCard> _cards = new Dictionary<string, RegisteredCard>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, List<LicenceRecord>> _records = new Dictionary<string, List<LicenceRecord>>(StringComparer.OrdinalIgnoreCase);
        private long _nextRecordNumber = 1;

        public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

        internal sealed class ActivationIdEntry
        {
            public string Id = "";
            public SubscriptionPartNumber Part = null!;
            public string? ActivatedOnSerial;
        }

        internal sealed class RegisteredCard
        {
            public string Serial = "";
            public string Mac = "";
            public DateTime? PurchaseDate;
        }

        // ---- seeding -------------------------------------------------------------------------------

        public void AddAccount(string userName, string password)
        {
            var salt = new byte[16];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(salt);
            lock (_gate) _accounts[userName] = (salt, HashPassword(password, salt));
        }

        /// <summary>A purchased subscription: its Activation ID and SKU (e.g. SWNMC3SU-3Y-DIGI).</summary>
        public void AddActivationId(string activationId, string partNumber)
        {
            var part = SubscriptionPartNumber.Parse(partNumber);
            lock (_gate) _activationIds[activationId.Trim().ToUpperInvariant()] = new ActivationIdEntry { Id = activationId.Trim().ToUpperInvariant(), Part = part };
        }

        /// <summary>A card the vendor sold: bought from 1 April 2024 it carries the included subscription.</summary>
        public void AddCard(string serial, string mac, DateTime? purchaseDate)
        {
            var card = new RegisteredCard
            {
                Serial = serial.Trim().ToUpperInvariant(),
                Mac = CardIdentity.NormalizeMac(mac) ?? throw new ArgumentException($"'{mac}' is not a MAC address."),
                PurchaseDate = purchaseDate?.Date,
            };
            lock (_gate) _cards[card.Serial] = card;
        }

        /// <summary>A token for an account issued outside the sign-in call (what a runbook gets from a vault).</summary>
        public string IssueToken(string account, DateTimeOffset now, TimeSpan? lifetime = null)
        {
            lock (_gate)
            {
                if (!_accounts.ContainsKey(account)) throw new ArgumentException($"No account {account}.");
                return NewToken(account, now + (lifetime ?? TokenLifetime));
            }
        }

        // ---- queries for tests -----------------------------------------------------------------------

        public string? ActivationIdUsedBy(string activationId)
        {
            lock (_gate) return _activationIds.TryGetValue(activationId, out var e) ? e.ActivatedOnSerial : null;
        }

        public IReadOnlyList<LicenceRecord> RecordsFor(string serial)
        {
            lock (_gate) return _records.TryGetValue(serial, out var l) ? l.Select(r => r.Clone()).ToList() : new List<LicenceRecord>();
        }

        public int ActiveTokenCount { get { lock (_gate) return _tokensByHash.Count; } }

        // ---- used by the service -------------------------------------------------------------------------

        internal bool TrySignIn(string userName, string password, DateTimeOffset now, out string token, out string account, out DateTimeOffset expiresAt)
        {
            token = account = "";
            expiresAt = default;
            lock (_gate)
            {
                if (!_accounts.TryGetValue(userName, out var stored)) { HashPassword(password, new byte[16]); return false; }
                if (!FixedTimeEquals(HashPassword(password, stored.Salt), stored.Hash)) return false;
                account = _accounts.Keys.First(k => string.Equals(k, userName, StringComparison.OrdinalIgnoreCase));
                expiresAt = now + TokenLifetime;
                token = NewToken(account, expiresAt);
                return true;
            }
        }

        internal bool TryResolveToken(string token, DateTimeOffset now, out string account, out DateTimeOffset expiresAt)
        {
            lock (_gate)
            {
                account = "";
                expiresAt = default;
                if (!_tokensByHash.TryGetValue(Digest(token), out var entry)) return false;
                if (entry.ExpiresAt <= now) { _tokensByHash.Remove(Digest(token)); return false; }
                account = entry.Account;
                expiresAt = entry.ExpiresAt;
                return true;
            }
        }

        internal void RevokeToken(string token)
        {
            lock (_gate) _tokensByHash.Remove(Digest(token));
        }

        internal object SyncRoot => _gate;

        internal RegisteredCard? Card(string serial) => _cards.TryGetValue(serial, out var c) ? c : null;

        internal ActivationIdEntry? ActivationId(string id) => _activationIds.TryGetValue(id, out var e) ? e : null;

        internal LicenceRecord? CurrentRecord(string serial) =>
            _records.TryGetValue(serial, out var list) ? list.OrderByDescending(r => r.RecordNumber).First() : null;

        internal LicenceRecord AddRecord(LicenceRecord record, LicenceSigner signer)
        {
            record.RecordNumber = _nextRecordNumber++;
            record.RecordId = Guid.NewGuid().ToString("N");
            signer.Sign(record);
            if (!_records.TryGetValue(record.CardSerial, out var list)) _records[record.CardSerial] = list = new List<LicenceRecord>();
            list.Add(record);
            return record;
        }

        internal void RegisterCard(CardIdentity card)
        {
            if (!_cards.ContainsKey(card.Serial))
                _cards[card.Serial] = new RegisteredCard { Serial = card.Serial, Mac = card.Mac, PurchaseDate = null };
            else if (_cards[card.Serial].Mac.Length == 0)
                _cards[card.Serial].Mac = card.Mac;
        }

        private string NewToken(string account, DateTimeOffset expiresAt)
        {
            var bytes = new byte[32];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            string token = "snmc_" + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            _tokensByHash[Digest(token)] = (account, expiresAt);
            return token;
        }

        // The service keeps only digests of tokens, as a real one should.
        private static string Digest(string token)
        {
            using (var sha = SHA256.Create())
                return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(token)));
        }

        private static byte[] HashPassword(string password, byte[] salt)
        {
            // PBKDF2-HMAC-SHA256 (netstandard2.0's Rfc2898DeriveBytes only offers SHA-1).
            var generator = new Org.BouncyCastle.Crypto.Generators.Pkcs5S2ParametersGenerator(new Org.BouncyCastle.Crypto.Digests.Sha256Digest());
            generator.Init(Encoding.UTF8.GetBytes(password ?? ""), salt, 10000);
            return ((Org.BouncyCastle.Crypto.Parameters.KeyParameter)generator.GenerateDerivedMacParameters(256)).GetKey();
        }

        private static bool FixedTimeEquals(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            int diff = 0;
            for (int i = 0; i < a.Length; i++) diff |= a[i] ^ b[i];
            return diff == 0;
        }
    }
}
