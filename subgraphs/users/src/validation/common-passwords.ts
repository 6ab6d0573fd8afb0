/**
 * Passwords (and password stems) attackers try first: the top of public breach-frequency
 * lists, Brazilian favourites (senha, time names, religious phrases), and words anyone
 * would guess for a hospital system. The policy lowercases, strips leading and trailing
 * digits and symbols and undoes l33t substitutions before looking a password up, so the
 * stem "senha" also catches "Senha@2026!!" and "s3nha123456789".
 */
const english = `
123456 1234567 12345678 123456789 1234567890 12345678910 123456789012 1234567890123
0123456789 987654321 9876543210 111111 1111111 11111111 111111111111 000000 00000000
000000000000 123123 123123123 123123123123 121212 112233 123321 654321 666666 696969
777777 888888 999999 123654 147258369 159753 741852963 789456123 1q2w3e4r 1q2w3e4r5t
1q2w3e 1qaz2wsx 1qaz2wsx3edc zaq12wsx qazwsx qazwsxedc qwerty qwerty123 qwertyuiop
qwertyuiop123 qwertz asdfgh asdfghjkl asdfghjkl123 zxcvbn zxcvbnm qweasd qweasdzxc
abc123 abcd1234 abcdef abcdefg abcdefgh abcdefghijkl password passw0rd password1
password12 password123 passwordpassword pass pass123 pass1234 letmein welcome welcome1
welcome123 admin admin123 administrator root toor login master master123 hello
hello123 iloveyou iloveyou1 loveme lovely love monkey dragon football baseball soccer
basketball hockey superman batman spiderman starwars pokemon princess sunshine shadow
michael jennifer jordan jordan23 charlie ashley daniel thomas hunter buster tigger
freedom whatever trustno1 secret secret123 mustang access access123 killer summer
winter spring autumn flower cheese cookie computer internet samsung apple google
microsoft facebook instagram youtube twitter linkedin netflix changeme changeme123
default guest test test123 testing testtest temp temp123 user user123 demo demo123
qwerty1 qwerty12 asdf asdf1234 zxcv1234 matrix ninja mercedes ferrari porsche
harley chelsea liverpool arsenal barcelona madrid juventus manchester united
`;

const portuguese = `
senha senha1 senha12 senha123 senha1234 senha12345 senha123456 senhasenha senhas
minhasenha minha-senha suasenha novasenha nova-senha trocar trocar123 trocarsenha
mudar mudar123 mudarsenha mudeasenha alterar alterar123 acesso acesso123 entrar
entrar123 bemvindo bemvinda bem-vindo usuario usuario123 administrador admin@123
brasil brasil123 brasileiro brasileira saopaulo sao-paulo riodejaneiro rio
flamengo mengao mengo corinthians timao palmeiras verdao santos peixe vasco
vascodagama gremio inter internacional cruzeiro atletico galo botafogo fogao
fluminense bahia vitoria sport fortaleza ceara coritiba athletico parana
amor meuamor amorzinho teamo euteamo teamomuito amoreterno paixao coracao
deus deusefiel deuseamor deuseminhavida deuseopai jesus jesuscristo jesusteama
jesusecristo jesuseamor senhor aleluia gloria gloriaadeus fe esperanca
familia minhafamilia felicidade feliz saudade amizade amigo amiga amigos
princesa princesinha gatinha gatinho lindinha lindo linda beleza estrela
chocolate morango banana abacaxi cachorro gato bonita bonito menina menino
mae mamae pai papai filho filha minhamae meupai vovo vovó
futebol carnaval samba cerveja praia verao inverno primavera outono
segredo segredo123 qualquer qualquercoisa nadaaver naosei seila tantofaz
abcdefghij asdfasdf qwerasdf mudesenha
`;

const hospital = `
asky asky123 askyasky asky-demo askydemo hospital hospital123 hospitalar
clinica clinico saude saude123 enfermagem enfermeira enfermeiro enfermeiros
farmacia farmacia123 farmaceutico farmaceutica medico medica medicina doutor
doutora plantao paciente pacientes leito uti pronto-socorro prontosocorro
pediatria oncologia centrocirurgico cirurgia remedio remedios medicamento
medicamentos pyxis medstation dispensario almoxarifado sus unimed
`;

/** Also rejects the obvious keyboard and counting runs, whatever their length. */
export const sequences = [
  "abcdefghijklmnopqrstuvwxyz",
  "zyxwvutsrqponmlkjihgfedcba",
  "01234567890123456789012345678901234567890",
  "98765432109876543210987654321098765432109",
  "qwertyuiopasdfghjklzxcvbnm",
  "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
  "1q2w3e4r5t6y7u8i9o0p",
  "qazwsxedcrfvtgbyhnujmikolp",
];

export const commonPasswords: ReadonlySet<string> = new Set(
  [english, portuguese, hospital].flatMap((list) => list.split(/\s+/)).filter((word) => word.length > 0),
);
