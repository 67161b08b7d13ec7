using System;
using System.Linq;
using System.Security.Cryptography;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Simulator.Ssh.Transport
{
    /// <summary>SSH_MSG_KEXINIT (RFC 4253 §7.1): the algorithm lists one side offers.</summary>
    internal sealed class SshKexInit
    {
        public const string StrictClientMarker = "kex-strict-c-v00@openssh.com";
        public const string StrictServerMarker = "kex-strict-s-v00@openssh.com";

        public string[] KeyExchange { get; set; } = Array.Empty<string>();
        public string[] HostKey { get; set; } = Array.Empty<string>();
        public string[] CipherClientToServer { get; set; } = Array.Empty<string>();
        public string[] CipherServerToClient { get; set; } = Array.Empty<string>();
        public string[] MacClientToServer { get; set; } = Array.Empty<string>();
        public string[] MacServerToClient { get; set; } = Array.Empty<string>();
        public string[] CompressionClientToServer { get; set; } = { "none" };
        public string[] CompressionServerToClient { get; set; } = { "none" };
        public string[] LanguageClientToServer { get; set; } = Array.Empty<string>();
        public string[] LanguageServerToClient { get; set; } = Array.Empty<string>();
        public bool FirstKexPacketFollows { get; set; }

        /// <summary>The exact bytes sent or received: they enter the exchange hash as I_C / I_S.</summary>
        public byte[] Payload { get; private set; } = Array.Empty<byte>();

        public byte[] Encode(RandomNumberGenerator random)
        {
            var cookie = new byte[16];
            random.GetBytes(cookie);
            var w = new SshWireWriter()
                .WriteByte(SshMessageNumbers.KexInit)
                .WriteBytes(cookie)
                .WriteNameList(KeyExchange)
                .WriteNameList(HostKey)
                .WriteNameList(CipherClientToServer)
                .WriteNameList(CipherServerToClient)
                .WriteNameList(MacClientToServer)
                .WriteNameList(MacServerToClient)
                .WriteNameList(CompressionClientToServer)
                .WriteNameList(CompressionServerToClient)
                .WriteNameList(LanguageClientToServer)
                .WriteNameList(LanguageServerToClient)
                .WriteBoolean(FirstKexPacketFollows)
                .WriteUInt32(0);
            Payload = w.ToArray();
            return Payload;
        }

        public static SshKexInit Decode(byte[] payload)
        {
            try
            {
                var r = new SshWireReader(payload);
                if (r.ReadByte() != SshMessageNumbers.KexInit) throw new SshWireException("not a KEXINIT");
                r.ReadBytes(16);
                var result = new SshKexInit
                {
                    KeyExchange = r.ReadNameList(),
                    HostKey = r.ReadNameList(),
                    CipherClientToServer = r.ReadNameList(),
                    CipherServerToClient = r.ReadNameList(),
                    MacClientToServer = r.ReadNameList(),
                    MacServerToClient = r.ReadNameList(),
                    CompressionClientToServer = r.ReadNameList(),
                    CompressionServerToClient = r.ReadNameList(),
                    LanguageClientToServer = r.ReadNameList(),
                    LanguageServerToClient = r.ReadNameList(),
                    FirstKexPacketFollows = r.ReadBoolean(),
                    Payload = payload,
                };
                r.ReadUInt32();
                return result;
            }
            catch (SshWireException ex)
            {
                throw new SshProtocolException(SshDisconnectReason.ProtocolError, "The peer sent a malformed KEXINIT message: " + ex.Message, ex);
            }
        }

        public bool Offers(string name) => KeyExchange.Contains(name, StringComparer.Ordinal);
    }
}
