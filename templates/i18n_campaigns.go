package templates

func init() { register(duplicateTexts) }

// duplicateTexts are the words of copying a survey in the editor.
var duplicateTexts = map[string]map[string]string{
	"en": {
		"editor.duplicate":       "Duplicate this survey",
		"editor.duplicate.title": "Copy of “%s”",
		"editor.duplicate.intro": "A copy of “%s”, not saved yet: give it a slug and a name of its own, change what you need and save. The original does not change.",
	},
	"fr": {
		"editor.duplicate":       "Dupliquer ce sondage",
		"editor.duplicate.title": "Copie de « %s »",
		"editor.duplicate.intro": "Une copie de « %s », pas encore enregistrée : donnez-lui un identifiant et un nom à elle, modifiez ce qu'il faut et enregistrez. L'original ne change pas.",
	},
}
