using System;
using System.Linq;

namespace SecureNmc.Simulator.Ssh.Transport
{
    /// <summary>The algorithms both sides agreed on for one key exchange.</summary>
    public sealed class SshNegotiatedAlgorithms
    {
        public string KeyExchange { get; internal set; } = "";
        public string HostKey { get; internal set; } = "";
        public string CipherClientToServer { get; internal set; } = "";
        public string CipherServerToClient { get; internal set; } = "";
        /// <summary>Null when the cipher is AEAD (GCM, chacha20-poly1305) and carries its own integrity.</summary>
        public string? MacClientToServer { get; internal set; }
        public string? MacServerToClient { get; internal set; }

        public override string ToString() =>
            $"kex={KeyExchange} hostkey={HostKey} cipher={CipherClientToServer}/{CipherServerToClient} mac={MacClientToServer ?? "(aead)"}/{MacServerToClient ?? "(aead)"}";

        /// <summary>RFC 4253 §7.1: the first algorithm on the client's list that the server also offers.</summary>
        internal static string? Choose(string[] client, string[] server) =>
            client.FirstOrDefault(name => server.Contains(name, StringComparer.Ordinal));

        internal static string ChooseOrFail(string[] client, string[] server, string what)
        {
            var chosen = Choose(client, server);
            if (chosen == null)
                throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed,
                    $"No {what} algorithm in common. Client offers: {string.Join(", ", client)}. Server offers: {string.Join(", ", server)}. Old cards may need legacy algorithms enabled for this device.");
            return chosen;
        }
    }
}
