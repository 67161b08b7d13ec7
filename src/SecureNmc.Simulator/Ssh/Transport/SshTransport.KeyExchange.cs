using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Simulator.Ssh.Algorithms;
using SecureNmc.Simulator.Ssh.Wire;

namespace SecureNmc.Simulator.Ssh.Transport
{
    public sealed partial class SshTransport
    {
        // Group-exchange sizes we ask for (RFC 8270: at least 2048 bits).
        private const int GexMinBits = 2048;
        private const int GexPreferredBits = 3072;
        private const int GexMaxBits = 8192;

        private SshKexInit BuildKexInit(bool initial)
        {
            bool legacy = _settings.AllowLegacyAlgorithms;
            var kex = (_settings.KeyExchangeAlgorithms ?? SshAlgorithmCatalog.KeyExchangeNames(legacy)).ToList();
            // Strict kex (Terrapin countermeasure) is signalled in the first KEXINIT only.
            if (initial) kex.Add(IsClient ? SshKexInit.StrictClientMarker : SshKexInit.StrictServerMarker);

            var hostKey = (_settings.HostKeyAlgorithms ?? SshAlgorithmCatalog.HostKeyAlgorithmNames(legacy)).ToList();
            if (IsClient)
            {
                var preferred = _settings.PreferredHostKeyTypes;
                if (preferred != null && preferred.Count > 0)
                {
                    // Ask first for the key types we already trust for this host, as OpenSSH does.
                    hostKey = hostKey.Where(n => preferred.Contains(SshAlgorithmCatalog.FindHostKeyAlgorithm(n)?.KeyType ?? ""))
                        .Concat(hostKey.Where(n => !preferred.Contains(SshAlgorithmCatalog.FindHostKeyAlgorithm(n)?.KeyType ?? "")))
                        .ToList();
                }
            }
            else
            {
                // A server offers only what its keys can sign.
                hostKey = hostKey.Where(n => _settings.HostKeys.Any(k => k.SignatureAlgorithms.Contains(n))).ToList();
            }

            var ciphers = (_settings.Ciphers ?? SshAlgorithmCatalog.CipherNames(legacy)).ToArray();
            var macs = (_settings.Macs ?? SshAlgorithmCatalog.MacNames(legacy)).ToArray();
            return new SshKexInit
            {
                KeyExchange = kex.ToArray(),
                HostKey = hostKey.ToArray(),
                CipherClientToServer = ciphers,
                CipherServerToClient = ciphers,
                MacClientToServer = macs,
                MacServerToClient = macs,
            };
        }

        private static SshNegotiatedAlgorithms Negotiate(SshKexInit client, SshKexInit server)
        {
            static string[] Real(string[] names) =>
                names.Where(n => n != SshKexInit.StrictClientMarker && n != SshKexInit.StrictServerMarker && n != "ext-info-c" && n != "ext-info-s").ToArray();

            var result = new SshNegotiatedAlgorithms
            {
                KeyExchange = SshNegotiatedAlgorithms.ChooseOrFail(Real(client.KeyExchange), Real(server.KeyExchange), "key exchange"),
                HostKey = SshNegotiatedAlgorithms.ChooseOrFail(client.HostKey, server.HostKey, "host key"),
                CipherClientToServer = SshNegotiatedAlgorithms.ChooseOrFail(client.CipherClientToServer, server.CipherClientToServer, "client-to-server cipher"),
                CipherServerToClient = SshNegotiatedAlgorithms.ChooseOrFail(client.CipherServerToClient, server.CipherServerToClient, "server-to-client cipher"),
            };
            SshNegotiatedAlgorithms.ChooseOrFail(client.CompressionClientToServer, server.CompressionClientToServer, "compression");
            SshNegotiatedAlgorithms.ChooseOrFail(client.CompressionServerToClient, server.CompressionServerToClient, "compression");
            if (!(FindCipher(result.CipherClientToServer).IsAead))
                result.MacClientToServer = SshNegotiatedAlgorithms.ChooseOrFail(client.MacClientToServer, server.MacClientToServer, "client-to-server MAC");
            if (!(FindCipher(result.CipherServerToClient).IsAead))
                result.MacServerToClient = SshNegotiatedAlgorithms.ChooseOrFail(client.MacServerToClient, server.MacServerToClient, "server-to-client MAC");
            return result;
        }

        private static ICipherAlgorithm FindCipher(string name) =>
            SshAlgorithmCatalog.FindCipher(name) ?? throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, $"Cipher {name} is not supported.");

        /// <summary>
        /// Runs one complete key exchange after the peer's KEXINIT arrived, on the reader loop:
        /// nothing else is read until NEWKEYS, and upper-layer sends wait on the kex gate.
        /// </summary>
        private async Task RunKeyExchangeAsync(SshKexInit peerInit)
        {
            bool initial = SessionId.Length == 0;
            if (initial)
            {
                StrictKeyExchange = peerInit.Offers(IsClient ? SshKexInit.StrictServerMarker : SshKexInit.StrictClientMarker);
                if (StrictKeyExchange && _packetsBeforePeerKexInit > 0)
                    throw new SshProtocolException(SshDisconnectReason.ProtocolError, "Strict key exchange: the peer's KEXINIT was not its first packet.");
            }
            else if (KeyExchangeCount == 0)
            {
                throw new SshProtocolException(SshDisconnectReason.ProtocolError, "The peer restarted the key exchange before finishing the first one.");
            }

            await _sendLock.WaitAsync().ConfigureAwait(false);
            try
            {
                await SendKexInitLockedAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
            var ourInit = _ourKexInit!;
            var clientInit = IsClient ? ourInit : peerInit;
            var serverInit = IsClient ? peerInit : ourInit;

            var negotiated = Negotiate(clientInit, serverInit);
            bool strictInitial = initial && StrictKeyExchange;

            // RFC 4253 §7: a wrong guess means the peer's first kex packet must be ignored.
            if (peerInit.FirstKexPacketFollows &&
                (peerInit.KeyExchange.FirstOrDefault() != negotiated.KeyExchange || peerInit.HostKey.FirstOrDefault() != negotiated.HostKey))
            {
                await ReadKexMessageAsync(strictInitial).ConfigureAwait(false);
            }

            var method = SshAlgorithmCatalog.FindKeyExchange(negotiated.KeyExchange)
                         ?? throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, $"Key exchange {negotiated.KeyExchange} is not supported.");

            byte[] exchangeHash;
            byte[] sharedSecret;
            try
            {
                (exchangeHash, sharedSecret) = IsClient
                    ? await ClientExchangeAsync(method, negotiated.HostKey, clientInit.Payload, serverInit.Payload, strictInitial, initial).ConfigureAwait(false)
                    : await ServerExchangeAsync(method, negotiated.HostKey, clientInit.Payload, serverInit.Payload, strictInitial).ConfigureAwait(false);
            }
            catch (CryptographicException ex)
            {
                throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, $"Key exchange {negotiated.KeyExchange} failed: the peer's public value was rejected.", ex);
            }

            if (initial) SessionId = exchangeHash;
            var encodedSecret = new SshWireWriter().WriteMpintUnsigned(sharedSecret).ToArray();

            IPacketProtection Protection(string cipherName, string? macName, char ivLetter, char keyLetter, char macLetter, bool sending)
            {
                var cipher = FindCipher(cipherName);
                var mac = macName == null ? null : SshAlgorithmCatalog.FindMac(macName)
                          ?? throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, $"MAC {macName} is not supported.");
                var iv = DeriveKey(method, encodedSecret, exchangeHash, ivLetter, cipher.IvLength);
                var key = DeriveKey(method, encodedSecret, exchangeHash, keyLetter, cipher.KeyLength);
                var macKey = mac == null ? Array.Empty<byte>() : DeriveKey(method, encodedSecret, exchangeHash, macLetter, mac.KeyLength);
                return SshAlgorithmCatalog.CreateProtection(cipherName, macName, key, iv, macKey, sending);
            }

            var clientToServer = Protection(negotiated.CipherClientToServer, negotiated.MacClientToServer, 'A', 'C', 'E', IsClient);
            var serverToClient = Protection(negotiated.CipherServerToClient, negotiated.MacServerToClient, 'B', 'D', 'F', !IsClient);
            var outgoing = IsClient ? clientToServer : serverToClient;
            var incoming = IsClient ? serverToClient : clientToServer;

            // NEWKEYS and the switch to new keys happen under one lock: nothing may slip in between.
            await _sendLock.WaitAsync().ConfigureAwait(false);
            try
            {
                await _packets.WritePacketAsync(new[] { SshMessageNumbers.NewKeys }, CancellationToken.None).ConfigureAwait(false);
                _packets.SetSendProtection(outgoing, resetSequence: StrictKeyExchange);
            }
            finally
            {
                _sendLock.Release();
            }

            var newKeys = await ReadKexMessageAsync(strictInitial).ConfigureAwait(false);
            if (newKeys[0] != SshMessageNumbers.NewKeys || newKeys.Length != 1)
                throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"Expected NEWKEYS from the peer, got message {newKeys[0]}.");
            _packets.SetReceiveProtection(incoming, resetSequence: StrictKeyExchange);

            Negotiated = negotiated;
            KeyExchangeCount++;
            _settings.Logger.LogDebug("SSH key exchange {Count} with {Peer} done: {Algorithms}, strict={Strict}", KeyExchangeCount, _settings.PeerName, negotiated, StrictKeyExchange);

            await _sendLock.WaitAsync().ConfigureAwait(false);
            try
            {
                _ourKexInit = null;
                _lastKexUtc = DateTime.UtcNow;
                _packets.ResetCounters();
                _kexInProgress = false;
                _kexIdle.TrySetResult(true);
            }
            finally
            {
                _sendLock.Release();
            }
            if (initial) _initialKexDone.TrySetResult(true);
        }

        /// <summary>Reads the next key-exchange packet, handling transport-generic messages (forbidden during a strict first exchange).</summary>
        private async Task<byte[]> ReadKexMessageAsync(bool strictInitial)
        {
            while (true)
            {
                var payload = await _packets.ReadPacketAsync(_settings.ReadTimeout, _shutdown.Token).ConfigureAwait(false);
                byte number = payload[0];
                if (number == SshMessageNumbers.Disconnect) HandleGenericTransportMessage(payload);
                if (number == SshMessageNumbers.Ignore || number == SshMessageNumbers.Debug || number == SshMessageNumbers.Unimplemented)
                {
                    if (strictInitial)
                        throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"Strict key exchange: unexpected message {number} during the first key exchange.");
                    HandleGenericTransportMessage(payload);
                    continue;
                }
                if (number == SshMessageNumbers.NewKeys || (number >= 30 && number <= 49))
                    return payload;
                throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"The peer sent message {number} in the middle of a key exchange.");
            }
        }

        private static byte[] Expect(byte[] payload, byte number, string name)
        {
            if (payload[0] != number)
                throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"Expected {name} (message {number}) from the peer, got message {payload[0]}.");
            return payload;
        }

        private SshWireWriter HashPrefix(byte[] clientInit, byte[] serverInit)
        {
            string vc = IsClient ? LocalIdentification : PeerIdentification;
            string vs = IsClient ? PeerIdentification : LocalIdentification;
            return new SshWireWriter()
                .WriteBinary(Encoding.UTF8.GetBytes(vc))
                .WriteBinary(Encoding.UTF8.GetBytes(vs))
                .WriteBinary(clientInit)
                .WriteBinary(serverInit);
        }

        private static void WritePublicValue(SshWireWriter w, KeyExchangeFlow flow, byte[] value)
        {
            if (flow == KeyExchangeFlow.EllipticCurve) w.WriteBinary(value);
            else w.WriteMpintUnsigned(value);
        }

        private static byte[] ReadPublicValue(SshWireReader r, KeyExchangeFlow flow) =>
            flow == KeyExchangeFlow.EllipticCurve ? r.ReadBinary() : r.ReadMpintUnsigned();

        private async Task<(byte[] Hash, byte[] Secret)> ClientExchangeAsync(IKeyExchangeMethod method, string hostKeyAlgorithm, byte[] clientInit, byte[] serverInit, bool strictInitial, bool initial)
        {
            var flow = method.Flow;
            var hash = HashPrefix(clientInit, serverInit);
            byte[] hostKeyBlob, serverValue, signature, secret, clientValue;
            try
            {
                if (flow == KeyExchangeFlow.GroupExchange)
                {
                    await SendTransportMessageAsync(new SshWireWriter().WriteByte(SshMessageNumbers.KexDhGexRequest)
                        .WriteUInt32(GexMinBits).WriteUInt32(GexPreferredBits).WriteUInt32(GexMaxBits).ToArray()).ConfigureAwait(false);
                    var group = new SshWireReader(Expect(await ReadKexMessageAsync(strictInitial).ConfigureAwait(false), SshMessageNumbers.KexDhGexGroup, "DH_GEX_GROUP"));
                    group.ReadByte();
                    var prime = group.ReadMpintUnsigned();
                    var generator = group.ReadMpintUnsigned();
                    int bits = BitLength(prime);
                    if (bits < GexMinBits || bits > GexMaxBits)
                        throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, $"The server offered a {bits}-bit Diffie-Hellman group; {GexMinBits} to {GexMaxBits} bits are acceptable.");
                    using (var agreement = method.CreateAgreement(prime, generator))
                    {
                        clientValue = agreement.PublicValue;
                        await SendTransportMessageAsync(new SshWireWriter().WriteByte(SshMessageNumbers.KexDhGexInit).WriteMpintUnsigned(clientValue).ToArray()).ConfigureAwait(false);
                        var reply = new SshWireReader(Expect(await ReadKexMessageAsync(strictInitial).ConfigureAwait(false), SshMessageNumbers.KexDhGexReply, "DH_GEX_REPLY"));
                        reply.ReadByte();
                        hostKeyBlob = reply.ReadBinary();
                        serverValue = reply.ReadMpintUnsigned();
                        signature = reply.ReadBinary();
                        secret = agreement.DeriveSharedSecret(serverValue);
                    }
                    hash.WriteBinary(hostKeyBlob).WriteUInt32(GexMinBits).WriteUInt32(GexPreferredBits).WriteUInt32(GexMaxBits)
                        .WriteMpintUnsigned(prime).WriteMpintUnsigned(generator);
                }
                else
                {
                    using (var agreement = method.CreateAgreement())
                    {
                        clientValue = agreement.PublicValue;
                        var init = new SshWireWriter().WriteByte(SshMessageNumbers.KexDhInit);
                        WritePublicValue(init, flow, clientValue);
                        await SendTransportMessageAsync(init.ToArray()).ConfigureAwait(false);
                        var reply = new SshWireReader(Expect(await ReadKexMessageAsync(strictInitial).ConfigureAwait(false), SshMessageNumbers.KexDhReply, "KEX reply"));
                        reply.ReadByte();
                        hostKeyBlob = reply.ReadBinary();
                        serverValue = ReadPublicValue(reply, flow);
                        signature = reply.ReadBinary();
                        secret = agreement.DeriveSharedSecret(serverValue);
                    }
                    hash.WriteBinary(hostKeyBlob);
                }
            }
            catch (SshWireException ex)
            {
                throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, "The server sent a malformed key-exchange message: " + ex.Message, ex);
            }
            WritePublicValue(hash, flow, clientValue);
            WritePublicValue(hash, flow, serverValue);
            hash.WriteMpintUnsigned(secret);
            var exchangeHash = method.Hash(hash.ToArray());

            var algorithm = SshAlgorithmCatalog.FindHostKeyAlgorithm(hostKeyAlgorithm)
                            ?? throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, $"Host key algorithm {hostKeyAlgorithm} is not supported.");
            if (!algorithm.Verify(hostKeyBlob, exchangeHash, signature))
                throw new SshProtocolException(SshDisconnectReason.HostKeyNotVerifiable,
                    $"{_settings.PeerName} did not prove possession of its {hostKeyAlgorithm} host key (bad key-exchange signature).");

            if (initial)
            {
                PeerHostKey = hostKeyBlob;
                _settings.HostKeyVerifier?.Invoke(algorithm.KeyType, hostKeyBlob);
            }
            else if (PeerHostKey != null && !PeerHostKey.SequenceEqual(hostKeyBlob))
            {
                throw new SshProtocolException(SshDisconnectReason.HostKeyNotVerifiable, $"{_settings.PeerName} presented a different host key during rekeying.");
            }
            return (exchangeHash, secret);
        }

        private async Task<(byte[] Hash, byte[] Secret)> ServerExchangeAsync(IKeyExchangeMethod method, string hostKeyAlgorithm, byte[] clientInit, byte[] serverInit, bool strictInitial)
        {
            var hostKey = _settings.HostKeys.FirstOrDefault(k => k.SignatureAlgorithms.Contains(hostKeyAlgorithm))
                          ?? throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, $"No host key can sign with {hostKeyAlgorithm}.");
            var flow = method.Flow;
            var hash = HashPrefix(clientInit, serverInit).WriteBinary(hostKey.PublicKeyBlob);
            byte[] clientValue, serverValue, secret;
            byte replyNumber;
            try
            {
                if (flow == KeyExchangeFlow.GroupExchange)
                {
                    var request = new SshWireReader(Expect(await ReadKexMessageAsync(strictInitial).ConfigureAwait(false), SshMessageNumbers.KexDhGexRequest, "DH_GEX_REQUEST"));
                    request.ReadByte();
                    uint min = request.ReadUInt32(), preferred = request.ReadUInt32(), max = request.ReadUInt32();
                    if (min > max || preferred < min || preferred > max || max < 1024 || min > 8192)
                        throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, $"The client asked for an impossible group size ({min}, {preferred}, {max}).");
                    var (prime, generator) = method.ChooseGroup((int)min, (int)preferred, (int)max);
                    await SendTransportMessageAsync(new SshWireWriter().WriteByte(SshMessageNumbers.KexDhGexGroup).WriteMpintUnsigned(prime).WriteMpintUnsigned(generator).ToArray()).ConfigureAwait(false);
                    var init = new SshWireReader(Expect(await ReadKexMessageAsync(strictInitial).ConfigureAwait(false), SshMessageNumbers.KexDhGexInit, "DH_GEX_INIT"));
                    init.ReadByte();
                    clientValue = init.ReadMpintUnsigned();
                    using (var agreement = method.CreateAgreement(prime, generator))
                    {
                        serverValue = agreement.PublicValue;
                        secret = agreement.DeriveSharedSecret(clientValue);
                    }
                    hash.WriteUInt32(min).WriteUInt32(preferred).WriteUInt32(max).WriteMpintUnsigned(prime).WriteMpintUnsigned(generator);
                    replyNumber = SshMessageNumbers.KexDhGexReply;
                }
                else
                {
                    var init = new SshWireReader(Expect(await ReadKexMessageAsync(strictInitial).ConfigureAwait(false), SshMessageNumbers.KexDhInit, "KEX init"));
                    init.ReadByte();
                    clientValue = ReadPublicValue(init, flow);
                    using (var agreement = method.CreateAgreement())
                    {
                        serverValue = agreement.PublicValue;
                        secret = agreement.DeriveSharedSecret(clientValue);
                    }
                    replyNumber = SshMessageNumbers.KexDhReply;
                }
            }
            catch (SshWireException ex)
            {
                throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, "The client sent a malformed key-exchange message: " + ex.Message, ex);
            }
            WritePublicValue(hash, flow, clientValue);
            WritePublicValue(hash, flow, serverValue);
            hash.WriteMpintUnsigned(secret);
            var exchangeHash = method.Hash(hash.ToArray());
            var signature = hostKey.Sign(hostKeyAlgorithm, exchangeHash);

            var reply = new SshWireWriter().WriteByte(replyNumber).WriteBinary(hostKey.PublicKeyBlob);
            WritePublicValue(reply, flow, serverValue);
            reply.WriteBinary(signature);
            await SendTransportMessageAsync(reply.ToArray()).ConfigureAwait(false);
            return (exchangeHash, secret);
        }

        /// <summary>RFC 4253 §7.2: HASH(K || H || letter || session_id), extended with HASH(K || H || K1 || ...) as needed.</summary>
        private byte[] DeriveKey(IKeyExchangeMethod method, byte[] encodedSecret, byte[] exchangeHash, char letter, int length)
        {
            if (length == 0) return Array.Empty<byte>();
            var first = method.Hash(new SshWireWriter().WriteBytes(encodedSecret).WriteBytes(exchangeHash).WriteByte((byte)letter).WriteBytes(SessionId).ToArray());
            var key = new System.IO.MemoryStream();
            key.Write(first, 0, first.Length);
            while (key.Length < length)
            {
                var next = method.Hash(new SshWireWriter().WriteBytes(encodedSecret).WriteBytes(exchangeHash).WriteBytes(key.ToArray()).ToArray());
                key.Write(next, 0, next.Length);
            }
            var result = new byte[length];
            Array.Copy(key.ToArray(), result, length);
            return result;
        }

        private static int BitLength(byte[] unsignedBigEndian)
        {
            int i = 0;
            while (i < unsignedBigEndian.Length && unsignedBigEndian[i] == 0) i++;
            if (i == unsignedBigEndian.Length) return 0;
            int bits = (unsignedBigEndian.Length - i - 1) * 8;
            for (int b = unsignedBigEndian[i]; b != 0; b >>= 1) bits++;
            return bits;
        }
    }
}
