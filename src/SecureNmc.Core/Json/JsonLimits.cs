namespace SecureNmc.Core.Json
{
    /// <summary>Limits that stop a hostile or broken document from exhausting memory or the stack.</summary>
    internal sealed class JsonLimits
    {
        /// <summary>How many containers may nest inside the top-level value.</summary>
        public int MaxDepth { get; set; } = 32;
        public int MaxDocumentChars { get; set; } = 64 * 1024 * 1024;
        public int MaxStringChars { get; set; } = 1024 * 1024;
        public int MaxNumberChars { get; set; } = 40;

        /// <summary>Network bodies and licensing files.</summary>
        public static JsonLimits Default => new JsonLimits();

        /// <summary>
        /// SecureNmc's own data-folder files (inventory, settings): deeper nesting, because settings.json
        /// keeps entries a later version wrote verbatim, whatever their shape.
        /// </summary>
        public static JsonLimits DataFiles => new JsonLimits { MaxDepth = 64 };
    }
}
